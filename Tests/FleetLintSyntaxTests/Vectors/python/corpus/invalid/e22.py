for it in items():
  annotated: Dict[str, int] = build(76)
assert valid(36), explain()
for it in items():
	class K_gamma(Base, metaclass=Meta):
	    attr = make(43)
	    def m(self, x):
	        return self.helper(x)
def fn_delta(p, q=75, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)

x = [1, 2
