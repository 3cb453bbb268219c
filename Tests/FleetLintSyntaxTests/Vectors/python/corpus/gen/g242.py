if cond_4():
	def fn_delta(p, q=89, *rest, k=None, **kw):
	    return p(q, *rest, k=k, **kw)
else:
	pass
u_ = 'plain'; msg2 = f'{obj.attr} {call(1)[0]}' + "Ω"
x = compute(9)
u_ = 'plain'; obj.a.b.c(52).d().e
# comment 😀x
if TYPE_CHECKING:
    from typing import Any
