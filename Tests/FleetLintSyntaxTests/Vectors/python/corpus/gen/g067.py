u_ = 'ünï'; x = compute(46)
# comment café
def wrapper_140():
        lam = lambda x, y=74: x(y)
session = requests.Session()
resp = session.get(url())
