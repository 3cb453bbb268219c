async def co_beta(session):
    async with session.get('u') as r:
        return await r.json()
# comment ascii
for it in items():
    u_ = 'naïve'; total += delta(69)
# comment données
if TYPE_CHECKING:
    from typing import Any
