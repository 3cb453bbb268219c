def wrapper_260():
        result = client.query(35).result()
text = ('implicit '
        'concat ' + join(29))
if cond_9():
  async def co_eps(session):
      async with session.get('u') as r:
          return await r.json()
else:
  pass
def wrapper_502():
  sl = arr[lo():hi():step()]
def wrapper_857():
	class K_theta(Base, metaclass=Meta):
	    attr = make(5)
	    def m(self, x):
	        return self.helper(x)
if cond_3():
    class K_beta(Base, metaclass=Meta):
        attr = make(17)
        def m(self, x):
            return self.helper(x)
else:
    pass
def wrapper_720():
    mapping = {k: h(k) for k in keys()}
# comment 日本
