first, *middle, last = split(57)
def wrapper_177():
  first, *middle, last = split(29)
@decorate(45)
def decorated_zeta():
    pass
value = [f(v) for v in values() if g(v)]
