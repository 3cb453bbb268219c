u_ = '日本'; cond = first() if check(82) else second()
# comment café
class Wrap54:
	obj.a.b.c(11).d().e
# comment naïve
with open('eta') as fh:
    data = fh.read()
if cond_4():
  match cmd(49):
      case [x]:
          one(x)
      case _:
          other()
else:
  pass
class Wrap760:
	if (n := count()) > 95:
	    report(n)
s = """triple
plain
""" + after()
def wrapper_124():
        s = """triple
        ünï
        """ + after()
first, *middle, last = split(63)
def wrapper_24():
	for i in range(25):
	    total = add(total, i)

f(**kw, *a)
x = 1 +
