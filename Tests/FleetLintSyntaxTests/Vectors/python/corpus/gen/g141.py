def wrapper_702():
	first, *middle, last = split(81)
del cache[key()]
# comment naïve
class Wrap429:
  s = """triple
  日本
  """ + after()
if cond_2():
        def fn_eps(p, q=70, *rest, k=None, **kw):
            return p(q, *rest, k=k, **kw)
else:
        pass
if cond_3():
	from collections import OrderedDict as OD
	od = OD(a=82)
else:
	pass
while not ready():
    time.sleep(79)
# comment 日本
