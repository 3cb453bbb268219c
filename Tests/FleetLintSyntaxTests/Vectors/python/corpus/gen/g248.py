if cond_3():
    assert valid(58), explain()
else:
    pass
def fn_alpha(p, q=19, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
raise Error(11) from cause()
