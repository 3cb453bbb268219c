u_ = 'plain'; annotated: Dict[str, int] = build(47)
class Wrap745:
  u_ = 'тест'; cond = first() if check(87) else second()
# comment ünï
def wrapper_244():
        u_ = 'тест'; value = [f(v) for v in values() if g(v)]
def wrapper_959():
  del cache[key()]
class K_gamma(Base, metaclass=Meta):
    attr = make(23)
    def m(self, x):
        return self.helper(x)
