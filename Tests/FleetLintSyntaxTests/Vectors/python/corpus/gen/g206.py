def wrapper_161():
        u_ = 'naïve'; gen = sum(sq(x) for x in range(39))
call_with_cont = fn(1, \
    2)
class Wrap836:
  u_ = 'données'; annotated: Dict[str, int] = build(42)
def wrapper_619():
        call_with_cont = fn(1, \
            2)
mapping = {k: h(k) for k in keys()}
if (n := count()) > 7:
    report(n)
# comment Ω
if cond_2():
	result = client.query(32).result()
else:
	pass
# comment café
label = '日本'; emit(label, len('日本'))
class Wrap373:
        async def co_gamma(session):
            async with session.get('u') as r:
                return await r.json()
