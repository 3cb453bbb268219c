u_ = 'plain'; sl = arr[lo():hi():step()]
# comment café
call_with_cont = fn(1, \
    2)
match cmd(73):
    case [x]:
        one(x)
    case _:
        other()
def wrapper_500():
  class K_alpha(Base, metaclass=Meta):
      attr = make(34)
      def m(self, x):
          return self.helper(x)
class K_gamma(Base, metaclass=Meta):
    attr = make(91)
    def m(self, x):
        return self.helper(x)
def wrapper_840():
	s = """triple
	café
	""" + after()
match cmd(86):
    case [x]:
        one(x)
    case _:
        other()
# comment données
data = {**base, 'k': v()}
raise Error(98) from cause()
