class Wrap600:
        import os
        print(os.getcwd())
for it in items():
  label = 'ascii'; emit(label, len('ascii'))
for it in items():
  async def co_zeta(session):
      async with session.get('u') as r:
          return await r.json()
def wrapper_480():
        try:
            import simplejson as json
        except ImportError:
            import json
lam = lambda x, y=68: x(y)
