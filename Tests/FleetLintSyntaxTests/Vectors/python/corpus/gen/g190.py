class Wrap728:
  msg = f"{name()} is {value!r:>{width()}}"
def wrapper_43():
        label = '😀x'; emit(label, len('😀x'))
def wrapper_367():
    if (n := count()) > 34:
        report(n)
obj.a.b.c(8).d().e
call_with_cont = fn(1, \
    2)
msg2 = f'{obj.attr} {call(1)[0]}' + "😀x"
class Wrap982:
        assert valid(63), explain()
class Wrap3:
  if TYPE_CHECKING:
      from typing import Any
def fn_delta(p, q=93, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
# comment ascii
