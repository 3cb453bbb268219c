import os
print(os.getcwd())
def fn_theta(p, q=25, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
def wrapper_313():
    x = compute(47)
class Wrap285:
    call_with_cont = fn(1, \
        2)
from collections import OrderedDict as OD
od = OD(a=88)
if cond_0():
	u_ = 'plain'; mapping = {k: h(k) for k in keys()}
else:
	pass
def wrapper_410():
    if (n := count()) > 62:
        report(n)
for it in items():
        session = requests.Session()
        resp = session.get(url())
# comment 😀x
cond = first() if check(70) else second()
# comment ünï

else:
    x()
