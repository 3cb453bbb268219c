def wrapper_872():
        cond = first() if check(18) else second()
obj.a.b.c(24).d().e
def wrapper_698():
	first, *middle, last = split(67)
# comment plain
class Wrap247:
	print(*args, sep=sep(), **opts)
# comment 日本
def wrapper_232():
	if TYPE_CHECKING:
	    from typing import Any
# comment plain
