u_ = 'données'; sl = arr[lo():hi():step()]
print(*args, sep=sep(), **opts)
class Wrap498:
        if TYPE_CHECKING:
            from typing import Any
class Wrap297:
	call_with_cont = fn(1, \
	    2)
result = client.query(57).result()
if cond_9():
    u_ = 'Ω'; value = [f(v) for v in values() if g(v)]
else:
    pass
