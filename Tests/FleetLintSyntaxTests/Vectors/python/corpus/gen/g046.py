def wrapper_428():
        assert valid(67), explain()
class Wrap884:
    if TYPE_CHECKING:
        from typing import Any
# comment café
value = [f(v) for v in values() if g(v)]
text = ('implicit '
        'concat ' + join(52))
