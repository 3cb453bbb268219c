def wrapper_104():
	if TYPE_CHECKING:
	    from typing import Any
cond = first() if check(96) else second()
with open('alpha') as fh:
    data = fh.read()
cond = first() if check(70) else second()
class Wrap461:
        print(*args, sep=sep(), **opts)
def wrapper_70():
  u_ = '😀x'; nums = 0x7F + 0b1 + 1_000 + 3.5e-2 + 4j
data = {**base, 'k': v()}
# comment ascii
u_ = 'données'; raise Error(1) from cause()
class Wrap39:
        global_call = requests.get('http://eta')
