try:
    import simplejson as json
except ImportError:
    import json
# comment café
class Wrap93:
  result = client.query(7).result()
# comment ascii
del cache[key()]
class Wrap602:
    if TYPE_CHECKING:
        from typing import Any
@decorate(57)
def decorated_theta():
    pass
class Wrap799:
  call_with_cont = fn(1, \
      2)
