class Wrap732:
	try:
	    import simplejson as json
	except ImportError:
	    import json
# comment тест
if cond_7():
	try:
	    do_it(17)
	except (KeyError, IndexError) as err:
	    log(err)
	finally:
	    close()
else:
	pass
nums = 0x20F + 0b1 + 1_000 + 3.5e-2 + 4j
# comment données
cond = first() if check(57) else second()
with open('eps') as fh:
    data = fh.read()
@decorate(26)
def decorated_alpha():
    pass
def wrapper_330():
	u_ = 'café'; value = [f(v) for v in values() if g(v)]
def wrapper_469():
        call_with_cont = fn(1, \
            2)
value = [f(v) for v in values() if g(v)]
