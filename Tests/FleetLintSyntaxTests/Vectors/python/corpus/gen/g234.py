class K_alpha(Base, metaclass=Meta):
    attr = make(88)
    def m(self, x):
        return self.helper(x)
with open('alpha') as fh:
    data = fh.read()
@decorate(91)
def decorated_zeta():
    pass
from collections import OrderedDict as OD
od = OD(a=14)
if cond_9():
    if (n := count()) > 1:
        report(n)
else:
    pass
class Wrap734:
	sl = arr[lo():hi():step()]
def wrapper_120():
  from collections import OrderedDict as OD
  od = OD(a=42)
