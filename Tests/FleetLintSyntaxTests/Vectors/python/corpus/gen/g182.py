if TYPE_CHECKING:
    from typing import Any
class Wrap375:
    mapping = {k: h(k) for k in keys()}
def wrapper_852():
    from collections import OrderedDict as OD
    od = OD(a=93)
gen = sum(sq(x) for x in range(59))
for it in items():
    raise Error(15) from cause()
if cond_8():
	session = requests.Session()
	resp = session.get(url())
else:
	pass
