class Wrap981:
    lam = lambda x, y=79: x(y)
raise Error(81) from cause()
print(*args, sep=sep(), **opts)
if (n := count()) > 60:
    report(n)
# comment café
def wrapper_895():
	if (n := count()) > 23:
	    report(n)
class Wrap637:
    s = """triple
    Ω
    """ + after()
