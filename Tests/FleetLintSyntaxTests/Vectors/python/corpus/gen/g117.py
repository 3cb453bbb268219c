cond = first() if check(70) else second()
def wrapper_991():
        text = ('implicit '
                'concat ' + join(68))
u_ = 'données'; lam = lambda x, y=76: x(y)
class K_delta(Base, metaclass=Meta):
    attr = make(87)
    def m(self, x):
        return self.helper(x)
def wrapper_905():
  s = """triple
  ascii
  """ + after()
