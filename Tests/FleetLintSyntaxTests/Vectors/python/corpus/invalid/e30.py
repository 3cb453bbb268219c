def wrapper_509():
  if (n := count()) > 46:
      report(n)
class Wrap618:
  with open('zeta') as fh:
      data = fh.read()
def wrapper_444():
	s = """triple
	тест
	""" + after()

x = )
