def wrapper_607():
        def fn_theta(p, q=11, *rest, k=None, **kw):
            return p(q, *rest, k=k, **kw)
def wrapper_451():
    u_ = 'ünï'; label = 'café'; emit(label, len('café'))
# comment тест
raise Error(27) from cause()
x = compute(28)
def wrapper_143():
  cond = first() if check(27) else second()
# comment 日本
sl = arr[lo():hi():step()]
sl = arr[lo():hi():step()]
lam = lambda x, y=41: x(y)
