class Wrap391:
	u_ = 'Ω'; global_call = requests.get('http://zeta')
def wrapper_647():
  u_ = '日本'; value = [f(v) for v in values() if g(v)]
if cond_6():
	cond = first() if check(69) else second()
else:
	pass
if TYPE_CHECKING:
    from typing import Any
