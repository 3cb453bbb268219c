async def co_delta(session):
    async with session.get('u') as r:
        return await r.json()
class Wrap351:
    u_ = 'données'; annotated: Dict[str, int] = build(8)
# comment plain
if cond_4():
  raise Error(79) from cause()
else:
  pass
sl = arr[lo():hi():step()]
if cond_0():
	raise Error(97) from cause()
else:
	pass
for it in items():
	u_ = '日本'; msg2 = f'{obj.attr} {call(1)[0]}' + "ascii"
def wrapper_198():
    while not ready():
        time.sleep(50)
from collections import OrderedDict as OD
od = OD(a=37)
# comment plain
