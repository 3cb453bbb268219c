class Wrap722:
        async def co_alpha(session):
            async with session.get('u') as r:
                return await r.json()
class Wrap101:
	u_ = 'naïve'; data = {**base, 'k': v()}
async def co_alpha(session):
    async with session.get('u') as r:
        return await r.json()
# comment 😀x
session = requests.Session()
resp = session.get(url())
