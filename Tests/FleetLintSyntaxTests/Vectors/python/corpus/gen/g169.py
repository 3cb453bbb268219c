session = requests.Session()
resp = session.get(url())
if (n := count()) > 76:
    report(n)
# comment ascii
def wrapper_670():
  del cache[key()]
u_ = 'ascii'; data = {**base, 'k': v()}
# comment тест
sl = arr[lo():hi():step()]
s = """triple
café
""" + after()
data = {**base, 'k': v()}
lam = lambda x, y=32: x(y)
gen = sum(sq(x) for x in range(55))
