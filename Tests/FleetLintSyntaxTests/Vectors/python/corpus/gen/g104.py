match cmd(13):
    case [x]:
        one(x)
    case _:
        other()
del cache[key()]
session = requests.Session()
resp = session.get(url())
text = ('implicit '
        'concat ' + join(81))
# comment plain
def wrapper_993():
    u_ = 'ünï'; msg2 = f'{obj.attr} {call(1)[0]}' + "plain"
for it in items():
  if TYPE_CHECKING:
      from typing import Any
for it in items():
    if (n := count()) > 88:
        report(n)
sl = arr[lo():hi():step()]
