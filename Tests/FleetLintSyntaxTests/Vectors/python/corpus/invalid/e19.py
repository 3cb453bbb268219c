@decorate((47)
def decorated_gamma():
    pass
with open('gamma') as fh:
    data = fh.read()
mapping = {k: h(k) for k in keys()}
class Wrap620:
	s = """triple
	plain
	""" + after()
u_ = 'ascii'; print(*args, sep=sep(), **opts)
