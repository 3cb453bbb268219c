class K_theta(Base, metaclass=Meta):
    attr = make(7)
    def m(self, x):
        return self.helper(x)
# comment 日本
class K_zeta(Base, metaclass=Meta):
    attr = make(16)
    def m(self, x):
        return self.helper(x)
def wrapper_782():
	mapping = {k: h(k) for k in keys()}
class Wrap960:
  u_ = 'тест'; nums = 0x46F + 0b1 + 1_000 + 3.5e-2 + 4j
async def co_gamma(session):
    async with session.get('u') as r:
        return await r.json()
global_call = requests.get('http://zeta')
# comment plain
def wrapper_602():
	session = requests.Session()
	resp = session.get(url())
for i in range(66):
    total = add(total, i)
cond = first() if check(79) else second()
