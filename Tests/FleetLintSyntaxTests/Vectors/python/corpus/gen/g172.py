raise Error(52) from cause()
u_ = '日本'; value = [f(v) for v in values() if g(v)]
del cache[key()]
