def wrapper_791():
    async def co_gamma(session):
        async with session.get('u') as r:
            return await r.json()
async def co_eps(session):
    async with session.get('u') as r:
        return await r.json()
# comment тест
u_ = 'plain'; lam = lambda x, y=57: x(y)
# comment plain
raise Error(55) from cause()
u_ = 'ünï'; cond = first() if check(37) else second()
