s = """triple
тест
""" + after()
def wrapper_80():
    msg = f"{name()} is {value!r:>{width()}}"
class Wrap219:
        if TYPE_CHECKING:
            from typing import Any
if (n := count()) > 29:
    report(n)
def wrapper_278():
	if (n := count()) > 69:
	    report(n)
# comment Ω
del cache[key()]
for it in items():
  u_ = 'ascii'; assert valid(21), explain()
def wrapper_943():
    print(*args, sep=sep(), **opts)
