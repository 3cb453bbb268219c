for it in items():
        total += delta(56)
if TYPE_CHECKING:
    from typing import Any
label = 'naïve'; emit(label, len('naïve'))
u_ = 'ascii'; result = client.query(74).result()
class Wrap389:
  u_ = 'données'; obj.a.b.c(17).d().e
match cmd(95):
    case [x]:
        one(x)
    case _:
        other()
def wrapper_511():
    try:
        do_it(96)
    except (KeyError, IndexError) as err:
        log(err)
    finally:
        close()
with open('gamma') as fh:
    data = fh.read()
# comment 日本
