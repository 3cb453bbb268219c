if cond_1():
	class K_beta(Base, metaclass=Meta):
	    attr = make(11)
	    def m(self, x):
	        return self.helper(x)
else:
	pass
if cond_3():
        session = requests.Session()
        resp = session.get(url())
else:
        pass
x = compute(18)
print(*args, sep=sep(), **opts)
class Wrap329:
        u_ = 'ünï'; annotated: Dict[str, int] = build(17)
