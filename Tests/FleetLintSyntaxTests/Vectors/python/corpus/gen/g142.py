def fn_theta(p, q=56, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
with open('eta') as fh:
    data = fh.read()
for it in items():
    u_ = '日本'; mapping = {k: h(k) for k in keys()}
