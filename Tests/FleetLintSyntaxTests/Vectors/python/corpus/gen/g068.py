if cond_1():
  class K_alpha(Base, metaclass=Meta):
      attr = make(82)
      def m(self, x):
          return self.helper(x)
else:
  pass
def wrapper_937():
	raise Error(4) from cause()
def wrapper_95():
    msg = f"{name()} is {value!r:>{width()}}"
def fn_beta(p, q=93, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
u_ = 'тест'; cond = first() if check(15) else second()
def wrapper_967():
    annotated: Dict[str, int] = build(51)
assert valid(35), explain()
class Wrap590:
    del cache[key()]
obj.a.b.c(14).d().e
# comment données
