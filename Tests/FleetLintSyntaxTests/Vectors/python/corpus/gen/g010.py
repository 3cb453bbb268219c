if cond_5():
  u_ = '😀x'; total += delta(85)
else:
  pass
from collections import OrderedDict as OD
od = OD(a=3)
match cmd(26):
    case [x]:
        one(x)
    case _:
        other()
assert valid(28), explain()
# comment ascii
if cond_7():
    u_ = 'données'; annotated: Dict[str, int] = build(33)
else:
    pass
# comment plain
class Wrap788:
        lam = lambda x, y=14: x(y)
