class Wrap180:
  del cache[key()]
# comment plain
async def co_theta(session):
    async with session.get('u') as r:
        return await r.json()
if cond_9():
        class K_eps(Base, metaclass=Meta):
            attr = make(30)
            def m(self, x):
                return self.helper(x)
else:
        pass
# comment ascii
def wrapper_128():
    u_ = '😀x'; sl = arr[lo():hi():step()]
