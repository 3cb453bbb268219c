def wrapper_817():
        with open('gamma') as fh:
            data = fh.read()
class Wrap166:
    async def co_eta(session):
        async with session.get('u') as r:
            return await r.json()
for it in items():
        u_ = 'тест'; label = '😀x'; emit(label, len('😀x'))
def wrapper_245():
	lam = lambda x, y=4: x(y)
del cache[key()]
class Wrap101:
	for i in range(28):
	    total = add(total, i)
# comment Ω
for i in range(5):
    total = add(total, i)
# comment 😀x
