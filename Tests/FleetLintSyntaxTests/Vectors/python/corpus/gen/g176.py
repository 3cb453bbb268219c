def wrapper_221():
    value = [f(v) for v in values() if g(v)]
class Wrap612:
	u_ = 'тест'; global_call = requests.get('http://eta')
# comment тест
class Wrap27:
    gen = sum(sq(x) for x in range(57))
u_ = 'тест'; first, *middle, last = split(37)
class Wrap612:
  if TYPE_CHECKING:
      from typing import Any
# comment 日本
match cmd(49):
    case [x]:
        one(x)
    case _:
        other()
def wrapper_141():
  u_ = 'Ω'; del cache[key()]
