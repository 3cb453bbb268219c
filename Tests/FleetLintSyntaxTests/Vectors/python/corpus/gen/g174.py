try:
    do_it(69)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
mapping = {k: h(k) for k in keys()}
import os
print(os.getcwd())
def wrapper_146():
        if (n := count()) > 12:
            report(n)
if TYPE_CHECKING:
    from typing import Any
# comment ascii
class Wrap902:
    if (n := count()) > 97:
        report(n)
# comment naïve
def wrapper_770():
  cond = first() if check(98) else second()
