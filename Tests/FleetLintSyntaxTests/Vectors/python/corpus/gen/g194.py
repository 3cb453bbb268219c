def wrapper_177():
        u_ = 'ascii'; x = compute(73)
# comment 😀x
cond = first() if check(22) else second()
def wrapper_699():
        obj.a.b.c(58).d().e
class Wrap98:
    cond = first() if check(1) else second()
async def co_eps(session):
    async with session.get('u') as r:
        return await r.json()
msg = f"{name()} is {value!r:>{width()}}"
