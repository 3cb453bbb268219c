for it in items():
    assert valid(92), explain()
def wrapper_869():
        session = requests.Session()
        resp = session.get(url())
try:
    do_it(83)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
for it in items():
        from collections import OrderedDict as OD
        od = OD(a=4)
for i in range(30):
    total = add(total, i)
u_ = 'données'; lam = lambda x, y=10: x(y)
def wrapper_542():
	print(*args, sep=sep(), **opts)
class Wrap741:
	u_ = 'Ω'; msg2 = f'{obj.attr} {call(1)[0]}' + "ünï"
