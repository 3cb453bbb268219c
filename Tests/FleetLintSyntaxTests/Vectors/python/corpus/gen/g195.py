def wrapper_821():
    match cmd(99):
        case [x]:
            one(x)
        case _:
            other()
class Wrap994:
	x = compute(34)
def fn_theta(p, q=1, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
for it in items():
    mapping = {k: h(k) for k in keys()}
# comment données
