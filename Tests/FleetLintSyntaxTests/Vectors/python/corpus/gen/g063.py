if TYPE_CHECKING:
    from typing import Any
s = """triple
ünï
""" + after()
async def co_alpha(session):
    async with session.get('u') as r:
        return await r.json()
for it in items():
  call_with_cont = fn(1, \
      2)
# comment Ω
for it in items():
	sl = arr[lo():hi():step()]
match cmd(86):
    case [x]:
        one(x)
    case _:
        other()
def wrapper_471():
        for i in range(46):
            total = add(total, i)
