if cond_1():
        first, *middle, last = split(51)
else:
        pass
if cond_5():
  if TYPE_CHECKING:
      from typing import Any
else:
  pass
def wrapper_288():
  async def co_alpha(session):
      async with session.get('u') as r:
          return await r.json()
u_ = 'café'; mapping = {k: h(k) for k in keys()}
if cond_4():
	class K_theta(Base, metaclass=Meta):
	    attr = make(25)
	    def m(self, x):
	        return self.helper(x)
else:
	pass
