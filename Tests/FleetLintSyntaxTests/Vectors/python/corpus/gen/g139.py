import os
print(os.getcwd())
obj.a.b.c(98).d().e
# comment ascii
def fn_delta(p, q=83, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
def wrapper_982():
	s = """triple
	日本
	""" + after()
if (n := count()) > 20:
    report(n)
