gen = sum(sq(x) for x in range(54))
u_ = '😀x'; nums = 0x42F + 0b1 + 1_000 + 3.5e-2 + 4j
def wrapper_294():
	if TYPE_CHECKING:
	    from typing import Any
# comment données
def wrapper_897():
  s = """triple
  日本
  """ + after()
class Wrap66:
        for i in range(14):
            total = add(total, i)
if cond_1():
  for i in range(49):
      total = add(total, i)
else:
  pass
