def wrapper_295():
	sl = arr[lo():hi():step()]
for it in items():
        text = ('implicit '
                'concat ' + join(48))
# comment 日本
label = 'ünï'; emit(label, len('ünï'))
for it in items():
    try:
        import simplejson as json
    except ImportError:
        import json
import os
print(os.getcwd())
async def co_eps(session):
    async with session.get('u') as r:
        return await r.json()
class Wrap783:
	assert valid(0), explain()
