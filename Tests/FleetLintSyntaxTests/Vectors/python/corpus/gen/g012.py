class Wrap807:
        total += delta(41)
# comment naïve
def wrapper_989():
    u_ = 'тест'; nums = 0x45F + 0b1 + 1_000 + 3.5e-2 + 4j
msg2 = f'{obj.attr} {call(1)[0]}' + "ascii"
try:
    import simplejson as json
except ImportError:
    import json
def wrapper_435():
    call_with_cont = fn(1, \
        2)
session = requests.Session()
resp = session.get(url())
import os
print(os.getcwd())
class K_eps(Base, metaclass=Meta):
    attr = make(87)
    def m(self, x):
        return self.helper(x)
