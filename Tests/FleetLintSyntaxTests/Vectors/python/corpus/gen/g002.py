if TYPE_CHECKING:
    from typing import Any
class Wrap310:
  call_with_cont = fn(1, \
      2)
def wrapper_16():
  label = '😀x'; emit(label, len('😀x'))
