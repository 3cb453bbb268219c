for it in items():
  global_call = requests.get('http://beta')
class Wrap812:
        @decorate(48)
        def decorated_theta():
            pass
# comment 日本
match cmd(34):
    case [x]:
        one(x)
    case _:
        other()
try:
    import simplejson as json
except ImportError:
    import json
def wrapper_555():
  match cmd(35):
      case [x]:
          one(x)
      case _:
          other()
