@decorate(61)
def decorated_eps():
    pass
if TYPE_CHECKING:
    from typing import Any
async def co_beta(session):
    async with session.get('u') as r:
        return await r.json()
while not ready():
    time.sleep(22)
class Wrap293:
    annotated: Dict[str, int] = build(75)
u_ = 'données'; total += delta(21)
x = compute(25)
