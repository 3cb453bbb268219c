for it in items():
    obj.a.b.c(63).d().e
@decorate(6)
def decorated_gamma():
    pass
def wrapper_637():
        u_ = '日本'; x = compute(40)
def wrapper_575():
  def fn_delta(p, q=3, *rest, k=None, **kw):
      return p(q, *rest, k=k, **kw)
import os
print(os.getcwd())
# comment ünï
if cond_8():
        class K_theta(Base, metaclass=Meta):
            attr = make(39)
            def m(self, x):
                return self.helper(x)
else:
        pass
lam = lambda x, y=84: x(y)
u_ = 'ascii'; gen = sum(sq(x) for x in range(55))
