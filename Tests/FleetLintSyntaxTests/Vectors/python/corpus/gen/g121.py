text = ('implicit '
        'concat ' + join(87))
cond = first() if check(4) else second()
def wrapper_349():
  del cache[key()]
if cond_7():
  try:
      import simplejson as json
  except ImportError:
      import json
else:
  pass
if cond_6():
        try:
            import simplejson as json
        except ImportError:
            import json
else:
        pass
def wrapper_765():
        assert valid(73), explain()
# comment 日本
async def co_eps(session):
    async with session.get('u') as r:
        return await r.json()
u_ = 'ünï'; obj.a.b.c(17).d().e
for it in items():
    u_ = 'plain'; print(*args, sep=sep(), **opts)
