from collections import OrderedDict as OD
od = OD(a=47)
def wrapper_430():
        u_ = '日本'; total += delta(43)
async def co_eps(session):
    async with session.get('u') as r:
        return await r.json()
# comment 😀x
for it in items():
    class K_eta(Base, metaclass=Meta):
        attr = make(26)
        def m(self, x):
            return self.helper(x)
# comment naïve

print 'py2'
