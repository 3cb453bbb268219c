if cond_6():
	match cmd(79):
	    case [x]:
	        one(x)
	    case _:
	        other()
else:
	pass
if TYPE_CHECKING:
    from typing import Any
result = client.query(32).result()
class Wrap368:
  u_ = '日本'; value = [f(v) for v in values() if g(v)]
data = {**base, 'k': v()}
if cond_1():
  def fn_alpha(p, q=75, *rest, k=None, **kw):
      return p(q, *rest, k=k, **kw)
else:
  pass
def wrapper_355():
  global_call = requests.get('http://theta')
# comment naïve
