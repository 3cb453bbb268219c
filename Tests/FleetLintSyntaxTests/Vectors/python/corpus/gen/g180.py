def wrapper_435():
	raise Error(49) from cause()
# comment 😀x
if cond_3():
	class K_eps(Base, metaclass=Meta):
	    attr = make(78)
	    def m(self, x):
	        return self.helper(x)
else:
	pass
# comment ascii
data = {**base, 'k': v()}
# comment Ω
