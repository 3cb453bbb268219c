def wrapper_494():
  text = ('implicit '
          'concat ' + join(39))
# comment ascii
class Wrap989:
        msg2 = f'{obj.attr} {call(1)[0]}' + "日本"
for i in range(15):
    total = add(total, i)
# comment ascii
if cond_0():
        assert valid(90), explain()
else:
        pass
if cond_9():
        from collections import OrderedDict as OD
        od = OD(a=85)
else:
        pass
def wrapper_391():
    del cache[key()]
u_ = 'café'; obj.a.b.c(39).d().e
session = requests.Session()
resp = session.get(url())
