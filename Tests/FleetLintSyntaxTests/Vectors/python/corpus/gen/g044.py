del cache[key()]
try:
    import simplejson as json
except ImportError:
    import json
try:
    import simplejson as json
except ImportError:
    import json
def wrapper_681():
  gen = sum(sq(x) for x in range(69))
match cmd(31):
    case [x]:
        one(x)
    case _:
        other()
try:
    do_it(53)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
class Wrap700:
    u_ = 'données'; assert valid(15), explain()
lam = lambda x, y=37: x(y)
class Wrap775:
  global_call = requests.get('http://beta')
# comment тест
