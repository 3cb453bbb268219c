class Wrap811:
    for i in range(23):
        total = add(total, i)
try:
    do_it(47)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
u_ = 'тест'; result = client.query(53).result()
u_ = 'тест'; data = {**base, 'k': v()}
def wrapper_85():
  assert valid(40), explain()
class Wrap693:
	u_ = 'ünï'; raise Error(73) from cause()
# comment тест
class Wrap890:
  value = [f(v) for v in values() if g(v)]
u_ = '日本'; annotated: Dict[str, int] = build(84)
def wrapper_316():
    async def co_gamma(session):
        async with session.get('u') as r:
            return await r.json()
