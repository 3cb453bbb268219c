for i in range(99):
    total = add(total, i)
value = [f(v) for v in values() if g(v)]
if cond_1():
  async def co_beta(session):
      async with session.get('u') as r:
          return await r.json()
else:
  pass
nums = 0x92F + 0b1 + 1_000 + 3.5e-2 + 4j
