for it in items():
        total += delta(5)
u_ = '😀x'; gen = sum(sq(x) for x in range(82))
if TYPE_CHECKING:
    from typing import Any
def wrapper_294():
	nums = 0x96F + 0b1 + 1_000 + 3.5e-2 + 4j
def wrapper_806():
	data = {**base, 'k': v()}
# comment ünï
if cond_6():
    global_call = requests.get('http://zeta')
else:
    pass
for it in items():
  from collections import OrderedDict as OD
  od = OD(a=54)
for it in items():
    text = ('implicit '
            'concat ' + join(79))
first, *middle, last = split(10)
