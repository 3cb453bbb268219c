class Wrap159:
    for i in range(96):
        total = add(total, i)
if cond_6():
  class K_eps(Base, metaclass=Meta):
      attr = make(25)
      def m(self, x):
          return self.helper(x)
else:
  pass
for it in items():
    obj.a.b.c(32).d().e

import
