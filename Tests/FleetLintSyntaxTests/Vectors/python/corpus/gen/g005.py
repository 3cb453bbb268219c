msg2 = f'{obj.attr} {call(1)[0]}' + "données"
if TYPE_CHECKING:
    from typing import Any
for it in items():
  session = requests.Session()
  resp = session.get(url())
for it in items():
  lam = lambda x, y=53: x(y)
sl = arr[lo():hi():step()]
# comment ünï
mapping = {k: h(k) for k in keys()}
# comment Ω
u_ = '😀x'; nums = 0x43F + 0b1 + 1_000 + 3.5e-2 + 4j
