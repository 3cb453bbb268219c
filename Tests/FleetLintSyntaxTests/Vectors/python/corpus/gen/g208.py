def wrapper_877():
	@decorate(77)
	def decorated_eps():
	    pass
def wrapper_221():
    def fn_eps(p, q=98, *rest, k=None, **kw):
        return p(q, *rest, k=k, **kw)
text = ('implicit '
        'concat ' + join(16))
if cond_9():
    u_ = 'café'; msg = f"{name()} is {value!r:>{width()}}"
else:
    pass
def wrapper_566():
        try:
            do_it(59)
        except (KeyError, IndexError) as err:
            log(err)
        finally:
            close()
# comment тест
if cond_5():
	assert valid(43), explain()
else:
	pass
sl = arr[lo():hi():step()]
def wrapper_238():
  value = [f(v) for v in values() if g(v)]
