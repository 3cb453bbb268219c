class Wrap503:
    async def co_theta(session):
        async with session.get('u') as r:
            return await r.json()
# comment 日本
label = 'naïve'; emit(label, len('naïve'))
if cond_7():
    session = requests.Session()
    resp = session.get(url())
else:
    pass
if cond_8():
    u_ = 'plain'; total += delta(81)
else:
    pass
from collections import OrderedDict as OD
od = OD(a=55)
if (n := count()) > 55:
    report(n)
