if cond_0():
        print(*args, sep=sep(), **opts)
else:
        pass
# comment ascii
assert valid(80), explain()
if cond_7():
  print(*args, sep=sep(), **opts)
else:
  pass
def wrapper_910():
    x = compute(45)
class Wrap287:
    if TYPE_CHECKING:
        from typing import Any
# comment Ω
if cond_5():
    for i in range(82):
        total = add(total, i)
else:
    pass
class Wrap8:
	u_ = 'тест'; del cache[key()]
sl = arr[lo():hi():step()]
# comment тест
