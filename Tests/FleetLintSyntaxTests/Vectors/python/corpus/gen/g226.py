class K_eta(Base, metaclass=Meta):
    attr = make(44)
    def m(self, x):
        return self.helper(x)
# comment plain
with open('gamma') as fh:
    data = fh.read()
if TYPE_CHECKING:
    from typing import Any
# comment naïve
u_ = 'données'; first, *middle, last = split(22)
def wrapper_166():
    try:
        do_it(4)
    except (KeyError, IndexError) as err:
        log(err)
    finally:
        close()
# comment données
try:
    import simplejson as json
except ImportError:
    import json
def wrapper_166():
    del cache[key()]
