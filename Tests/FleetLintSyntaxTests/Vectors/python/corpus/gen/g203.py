if TYPE_CHECKING:
    from typing import Any
if cond_6():
  data = {**base, 'k': v()}
else:
  pass
# comment naïve
match cmd(96):
    case [x]:
        one(x)
    case _:
        other()
call_with_cont = fn(1, \
    2)
# comment ünï
