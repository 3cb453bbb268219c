class Wrap931:
  s = """triple
  😀x
  """ + after()
for i in range(53):
    total = add(total, i)
@decorate(99)
def decorated_theta():
    pass
def wrapper_521():
	u_ = 'ünï'; del cache[key()]
def wrapper_111():
	for i in range(86):
	    total = add(total, i)
gen = sum(sq(x) for x in range(32))
u_ = 'ascii'; cond = first() if check(7) else second()
