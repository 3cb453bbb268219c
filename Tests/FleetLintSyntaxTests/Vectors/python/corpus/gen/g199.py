if cond_2():
  class K_eps(Base, metaclass=Meta):
      attr = make(92)
      def m(self, x):
          return self.helper(x)
else:
  pass
class K_gamma(Base, metaclass=Meta):
    attr = make(30)
    def m(self, x):
        return self.helper(x)
text = ('implicit '
        'concat ' + join(70))
