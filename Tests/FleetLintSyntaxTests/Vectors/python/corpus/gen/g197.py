session = requests.Session()
resp = session.get(url())
if cond_3():
    text = ('implicit '
            'concat ' + join(59))
else:
    pass
def fn_alpha(p, q=42, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
