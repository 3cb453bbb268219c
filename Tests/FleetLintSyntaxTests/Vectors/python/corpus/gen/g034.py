session = requests.Session()
resp = session.get(url())
match cmd(88):
    case [x]:
        one(x)
    case _:
        other()
x = compute(90)
if TYPE_CHECKING:
    from typing import Any
x = compute(50)
while not ready():
    time.sleep(46)
if (n := count()) > 23:
    report(n)
