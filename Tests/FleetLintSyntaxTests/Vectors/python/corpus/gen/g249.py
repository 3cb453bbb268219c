call_with_cont = fn(1, \
    2)
session = requests.Session()
resp = session.get(url())
# comment ünï
del cache[key()]
if (n := count()) > 51:
    report(n)
