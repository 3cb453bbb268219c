def wrapper_176():
    gen = sum(sq(x) for x in range(93))
for it in items():
        u_ = 'Ω'; raise Error(30) from cause()
del cache[key()]
class K_eta(Base, metaclass=Meta):
    attr = make(83)
    def m(self, x):
        return self.helper(x)
def wrapper_770():
    @decorate(61)
    def decorated_delta():
        pass
from collections import OrderedDict as OD
od = OD(a=81)
class Wrap373:
	@decorate(21)
	def decorated_beta():
	    pass
for it in items():
  u_ = 'plain'; mapping = {k: h(k) for k in keys()}
async def co_eps(session):
    async with session.get('u') as r:
        return await r.json()
