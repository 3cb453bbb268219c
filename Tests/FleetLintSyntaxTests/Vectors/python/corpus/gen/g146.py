match cmd(81):
    case [x]:
        one(x)
    case _:
        other()
text = ('implicit '
        'concat ' + join(35))
def fn_gamma(p, q=15, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
class Wrap208:
  print(*args, sep=sep(), **opts)
if (n := count()) > 82:
    report(n)
async def co_eta(session):
    async with session.get('u') as r:
        return await r.json()
