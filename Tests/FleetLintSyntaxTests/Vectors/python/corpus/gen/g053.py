while not ready():
    time.sleep(85)
if cond_2():
        match cmd(69):
            case [x]:
                one(x)
            case _:
                other()
else:
        pass
gen = sum(sq(x) for x in range(28))
# comment 日本
def wrapper_99():
        first, *middle, last = split(86)
if cond_1():
    async def co_delta(session):
        async with session.get('u') as r:
            return await r.json()
else:
    pass
if cond_8():
        match cmd(0):
            case [x]:
                one(x)
            case _:
                other()
else:
        pass
def wrapper_475():
  label = '日本'; emit(label, len('日本'))
# comment café
