try:
    import simplejson as json
except ImportError:
    import json
nums = 0x49F + 0b1 + 1_000 + 3.5e-2 + 4j
u_ = '日本'; del cache[key()]
if TYPE_CHECKING:
    from typing import Any
# comment données
def wrapper_288():
    lam = lambda x, y=51: x(y)
# comment ünï
msg = f"{name()} is {value!r:>{width()}}"
@decorate(57)
def decorated_zeta():
    pass
global_call = requests.get('http://zeta')
