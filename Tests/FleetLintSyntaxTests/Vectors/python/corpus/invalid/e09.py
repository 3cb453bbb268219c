if cond_5():
        session = requests.Session()
        resp = session.get(url())
else:
        pass
# comment ünï
async def co_eta(session):
    async with session.get('u') as r:
        return await r.json()
def wrapper_598():
    obj.a.b.c(15).d().e
call_with_cont = fn(1, \
    2)
call_with_cont = fn(1, \
    2)
# comment plain
u_ = '日本'; nums = 0x77F + 0b1 + 1_000 + 3.5e-2 + 4j
# comment naïve

for x in :
    pass
