for it in items():
    text = ('implicit '
            'concat ' + join(31))
class Wrap797:
    lam = lambda x, y=76: x(y)
for it in items():
	async def co_delta(session):
	    async with session.get('u') as r:
	        return await r.json()
sl = arr[lo():hi():step()]
if cond_9():
    async def co_delta(session):
        async with session.get('u') as r:
            return await r.json()
else:
    pass
if cond_6():
    from collections import OrderedDict as OD
    od = OD(a=13)
else:
    pass
class Wrap812:
        global_call = requests.get('http://beta')
