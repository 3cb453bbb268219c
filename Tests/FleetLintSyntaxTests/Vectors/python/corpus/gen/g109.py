u_ = '😀x'; result = client.query(76).result()
async def co_gamma(session):
    async with session.get('u') as r:
        return await r.json()
if cond_5():
  result = client.query(51).result()
else:
  pass
msg = f"{name()} is {value!r:>{width()}}"
