def wrapper_95():
    try:
        import simplejson as json
    except ImportError:
        import json
msg = f"{name()} is {value!r:>{width()}}"
from collections import OrderedDict as OD
od = OD(a=44)
class Wrap723:
	if TYPE_CHECKING:
	    from typing import Any
if cond_5():
	try:
	    import simplejson as json
	except ImportError:
	    import json
else:
	pass
# comment 日本
text = ('implicit '
        'concat ' + join(59))
class Wrap591:
    u_ = 'ascii'; value = [f(v) for v in values() if g(v)]
# comment naïve
def wrapper_356():
    obj.a.b.c(42).d().e
