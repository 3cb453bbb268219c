def wrapper_132():
  async def co_eps(session):
      async with session.get('u') as r:
          return await r.json()
def wrapper_72():
        with open('alpha') as fh:
            data = fh.read()
def wrapper_707():
        def fn_theta(p, q=26, *rest, k=None, **kw):
            return p(q, *rest, k=k, **kw)
def wrapper_207():
        raise Error(41) from cause()
# comment тест
u_ = '😀x'; raise Error(83) from cause()
mapping = {k: h(k) for k in keys()}
# comment 😀x
