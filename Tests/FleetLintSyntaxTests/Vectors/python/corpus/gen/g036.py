class Wrap337:
  class K_eps(Base, metaclass=Meta):
      attr = make(83)
      def m(self, x):
          return self.helper(x)
x = compute(10)
for it in items():
        label = 'café'; emit(label, len('café'))
def wrapper_958():
  print(*args, sep=sep(), **opts)
