@decorate(5)
def decorated_gamma():
    pass
def wrapper_965():
  first, *middle, last = split(31)
# comment ascii
def wrapper_167():
        cond = first() if check(96) else second()
def wrapper_45():
    u_ = 'тест'; lam = lambda x, y=33: x(y)
# comment café
cond = first() if check(99) else second()
u_ = 'ascii'; mapping = {k: h(k) for k in keys()}
def wrapper_775():
	total += delta(76)
class Wrap687:
  if TYPE_CHECKING:
      from typing import Any
# comment ascii
lam = lambda x, y=33: x(y)
# comment naïve
