match cmd(99):
    case [x]:
        one(x)
    case _:
        other()
assert valid(16), explain()
def wrapper_601():
    @decorate(85)
    def decorated_eta():
        pass
# comment plain
def wrapper_798():
	assert valid(43), explain()
for it in items():
    lam = lambda x, y=77: x(y)
def wrapper_978():
  while not ready():
      time.sleep(86)
class Wrap140:
  s = """triple
  ünï
  """ + after()
text = ('implicit '
        'concat ' + join(58))
