try:
    do_it(63)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
# comment données
if cond_5():
    raise Error(79) from cause()
else:
    pass
annotated: Dict[str, int] = build(78)
result = client.query(8).result()
if TYPE_CHECKING:
    from typing import Any
# comment ascii
while not ready():
    time.sleep(55)
