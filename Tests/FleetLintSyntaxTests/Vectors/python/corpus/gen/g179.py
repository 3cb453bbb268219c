class Wrap194:
  try:
      import simplejson as json
  except ImportError:
      import json
text = ('implicit '
        'concat ' + join(44))
# comment ascii
def wrapper_484():
	print(*args, sep=sep(), **opts)
def wrapper_468():
        s = """triple
        Ω
        """ + after()
u_ = 'naïve'; obj.a.b.c(51).d().e
class K_delta(Base, metaclass=Meta):
    attr = make(22)
    def m(self, x):
        return self.helper(x)
def wrapper_679():
    u_ = 'plain'; mapping = {k: h(k) for k in keys()}
