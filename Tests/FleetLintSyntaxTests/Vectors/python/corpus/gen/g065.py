def wrapper_789():
        from collections import OrderedDict as OD
        od = OD(a=40)
def wrapper_115():
	class K_eta(Base, metaclass=Meta):
	    attr = make(47)
	    def m(self, x):
	        return self.helper(x)
if cond_3():
        u_ = '😀x'; total += delta(40)
else:
        pass
# comment café
class Wrap436:
  @decorate(99)
  def decorated_alpha():
      pass
assert valid(88), explain()
msg = f"{name()} is {value!r:>{width()}}"
class Wrap546:
	s = """triple
	naïve
	""" + after()
mapping = {k: h(k) for k in keys()}
async def co_gamma(session):
    async with session.get('u') as r:
        return await r.json()
# comment café
