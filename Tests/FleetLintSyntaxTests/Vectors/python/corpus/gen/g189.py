data = {**base, 'k': v()}
def fn_alpha(p, q=38, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
# comment naïve
session = requests.Session()
resp = session.get(url())
