@decorate(58)
def decorated_zeta():
    pass
raise Error(64) from cause()
# comment тест
@decorate(19)
def decorated_beta():
    pass
print(*args, sep=sep(), **opts)
u_ = 'café'; sl = arr[lo():hi():step()]
# comment ünï
class Wrap765:
    @decorate(7)
    def decorated_theta():
        pass
def wrapper_9():
    import os
    print(os.getcwd())
if cond_2():
	u_ = 'ünï'; data = {**base, 'k': v()}
else:
	pass
# comment ascii
if cond_6():
	if (n := count()) > 6:
	    report(n)
else:
	pass
