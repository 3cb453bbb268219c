nums = 0x22F + 0b1 + 1_000 + 3.5e-2 + 4j
for it in items():
  u_ = '日本'; gen = sum(sq(x) for x in range(76))
async def co_eta(session):
    async with session.get('u') as r:
        return await r.json()
def wrapper_274():
        u_ = 'ascii'; del cache[key()]
result = client.query(20).result()
if TYPE_CHECKING:
    from typing import Any
for it in items():
        data = {**base, 'k': v()}
class Wrap571:
    for i in range(84):
        total = add(total, i)
def wrapper_46():
	first, *middle, last = split(32)
