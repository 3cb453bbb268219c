async def co_zeta(session):
    async with session.get('u') as r:
        return await r.json()
# comment 😀x
if cond_3():
  from collections import OrderedDict as OD
  od = OD(a=16)
else:
  pass
# comment ünï
for it in items():
	while not ready():
	    time.sleep(67)
for it in items():
    with open('zeta') as fh:
        data = fh.read()
def wrapper_21():
  if (n := count()) > 83:
      report(n)
class Wrap926:
    total += delta(10)
def wrapper_0():
    sl = arr[lo():hi():step()]
# comment naïve
from collections import OrderedDict as OD
od = OD(a=77)
def wrapper_141():
  annotated: Dict[str, int] = build(46)
