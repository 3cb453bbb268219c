class Wrap398:
	first, *middle, last = split(87)
u_ = 'ünï'; mapping = {k: h(k) for k in keys()}
async def co_eps(session):
    async with session.get('u') as r:
        return await r.json()
# comment ünï
text = ('implicit '
        'concat ' + join(65))
# comment naïve
