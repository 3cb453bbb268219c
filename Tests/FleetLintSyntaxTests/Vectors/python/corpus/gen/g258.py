u_ = 'Ω'; x = compute(99)
@decorate(46)
def decorated_delta():
    pass
# comment Ω
annotated: Dict[str, int] = build(53)
def wrapper_508():
        with open('gamma') as fh:
            data = fh.read()
class Wrap494:
	sl = arr[lo():hi():step()]
# comment ascii
class Wrap901:
        u_ = 'Ω'; obj.a.b.c(8).d().e
# comment naïve
def wrapper_962():
    if (n := count()) > 85:
        report(n)
if TYPE_CHECKING:
    from typing import Any
