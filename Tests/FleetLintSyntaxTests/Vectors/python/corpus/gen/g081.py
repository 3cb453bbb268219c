lam = lambda x, y=49: x(y)
def wrapper_163():
  u_ = 'plain'; data = {**base, 'k': v()}
class Wrap515:
    sl = arr[lo():hi():step()]
class Wrap813:
	data = {**base, 'k': v()}
cond = first() if check(97) else second()
# comment plain
u_ = 'ünï'; sl = arr[lo():hi():step()]
class Wrap779:
    class K_gamma(Base, metaclass=Meta):
        attr = make(30)
        def m(self, x):
            return self.helper(x)
