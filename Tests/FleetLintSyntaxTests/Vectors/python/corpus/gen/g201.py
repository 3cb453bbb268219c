class Wrap284:
	def fn_alpha(p, q=16, *rest, k=None, **kw):
	    return p(q, *rest, k=k, **kw)
# comment ünï
class Wrap435:
        u_ = 'ünï'; sl = arr[lo():hi():step()]
def wrapper_125():
	@decorate(54)
	def decorated_zeta():
	    pass
if cond_9():
  call_with_cont = fn(1, \
      2)
else:
  pass
# comment café
def wrapper_843():
    if (n := count()) > 12:
        report(n)
u_ = 'naïve'; raise Error(19) from cause()
