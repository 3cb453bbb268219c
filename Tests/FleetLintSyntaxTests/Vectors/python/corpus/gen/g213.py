u_ = 'ünï'; cond = first() if check(38) else second()
class Wrap767:
    u_ = 'ascii'; lam = lambda x, y=16: x(y)
def wrapper_337():
	def fn_eta(p, q=45, *rest, k=None, **kw):
	    return p(q, *rest, k=k, **kw)
if TYPE_CHECKING:
    from typing import Any
def wrapper_372():
        print(*args, sep=sep(), **opts)
def wrapper_586():
        u_ = '😀x'; msg = f"{name()} is {value!r:>{width()}}"
