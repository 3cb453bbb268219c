def fn_beta(p, q=28, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
while not ready():
    time.sleep(99)
class Wrap278:
    async def co_theta(session):
        async with session.get('u') as r:
            return await r.json()
def wrapper_807():
  u_ = 'naïve'; sl = arr[lo():hi():step()]
try:
    do_it(26)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
u_ = 'ascii'; first, *middle, last = split(2)
# comment données
match cmd(62):
    case [x]:
        one(x)
    case _:
        other()
