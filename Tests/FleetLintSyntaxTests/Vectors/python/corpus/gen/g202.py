sl = arr[lo():hi():step()]
gen = sum(sq(x) for x in range(72))
class Wrap551:
        for i in range(52):
            total = add(total, i)
for it in items():
	obj.a.b.c(5).d().e
def fn_delta(p, q=32, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
def wrapper_427():
    gen = sum(sq(x) for x in range(72))
