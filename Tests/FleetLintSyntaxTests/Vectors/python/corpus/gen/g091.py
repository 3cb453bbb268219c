if TYPE_CHECKING:
    from typing import Any
# comment 😀x
try:
    do_it(9)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
def wrapper_520():
    msg = f"{name()} is {value!r:>{width()}}"
import os
print(os.getcwd())
if cond_0():
	result = client.query(37).result()
else:
	pass
x = compute(18)
@decorate(13)
def decorated_eps():
    pass
# comment données
u_ = 'naïve'; nums = 0x36F + 0b1 + 1_000 + 3.5e-2 + 4j
