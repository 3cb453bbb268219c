data = {**base, 'k': v()}
lam = lambda x, y=59: x(y)
def wrapper_897():
        u_ = 'plain'; annotated: Dict[str, int] = build(24)
class Wrap542:
  for i in range(58):
      total = add(total, i)
# comment 😀x
for i in range(93):
    total = add(total, i)
x = compute(57)
def wrapper_23():
    async def co_eta(session):
        async with session.get('u') as r:
            return await r.json()
for it in items():
        import os
        print(os.getcwd())
# comment 😀x
class Wrap761:
  value = [f(v) for v in values() if g(v)]
