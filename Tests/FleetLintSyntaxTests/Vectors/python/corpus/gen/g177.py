def wrapper_926():
        async def co_eta(session):
            async with session.get('u') as r:
                return await r.json()
def wrapper_277():
    data = {**base, 'k': v()}
with open('delta') as fh:
    data = fh.read()
class Wrap579:
    x = compute(60)
