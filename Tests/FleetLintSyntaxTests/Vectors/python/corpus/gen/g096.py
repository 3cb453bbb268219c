label = 'données'; emit(label, len('données'))
s = """triple
ascii
""" + after()
def wrapper_868():
  async def co_zeta(session):
      async with session.get('u') as r:
          return await r.json()
# comment café
for i in range(57):
    total = add(total, i)
import os
print(os.getcwd())
# comment Ω
def wrapper_4():
        cond = first() if check(76) else second()
def wrapper_558():
        u_ = 'ascii'; lam = lambda x, y=61: x(y)
