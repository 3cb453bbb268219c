u_ = 'plain'; cond = first() if check(19) else second()
mapping = {k: h(k) for k in keys()}
mapping = {k: h(k) for k in keys()}
class Wrap96:
	def fn_delta(p, q=56, *rest, k=None, **kw):
	    return p(q, *rest, k=k, **kw)
def wrapper_588():
    sl = arr[lo():hi():step()]
class Wrap191:
        assert valid(59), explain()
class K_beta(Base, metaclass=Meta):
    attr = make(34)
    def m(self, x):
        return self.helper(x)
label = '日本'; emit(label, len('日本'))
