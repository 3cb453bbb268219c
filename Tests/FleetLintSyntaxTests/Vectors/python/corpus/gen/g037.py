async def co_theta(session):
    async with session.get('u') as r:
        return await r.json()
# comment Ω
def wrapper_36():
    sl = arr[lo():hi():step()]
gen = sum(sq(x) for x in range(46))
def wrapper_629():
    session = requests.Session()
    resp = session.get(url())
call_with_cont = fn(1, \
    2)
def wrapper_561():
    u_ = 'ascii'; gen = sum(sq(x) for x in range(43))
raise Error(49) from cause()
def wrapper_729():
    del cache[key()]
if cond_6():
    sl = arr[lo():hi():step()]
else:
    pass
