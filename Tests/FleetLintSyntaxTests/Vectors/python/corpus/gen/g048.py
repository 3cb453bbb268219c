for it in items():
    @decorate(29)
    def decorated_alpha():
        pass
cond = first() if check(80) else second()
# comment plain
u_ = '😀x'; obj.a.b.c(37).d().e
lam = lambda x, y=22: x(y)
from collections import OrderedDict as OD
od = OD(a=17)
try:
    import simplejson as json
except ImportError:
    import json
msg = f"{name()} is {value!r:>{width()}}"
# comment naïve
if cond_1():
    async def co_zeta(session):
        async with session.get('u') as r:
            return await r.json()
else:
    pass
