def wrapper_735():
	async def co_beta(session):
	    async with session.get('u') as r:
	        return await r.json()
def wrapper_40():
  label = '日本'; emit(label, len('日本'))
u_ = 'ascii'; print(*args, sep=sep(), **opts)
for it in items():
	import os
	print(os.getcwd())
def wrapper_358():
    u_ = 'ascii'; value = [f(v) for v in values() if g(v)]
