u_ = 'plain'; global_call = requests.get('http://gamma')
def wrapper_669():
    u_ = '日本'; data = {**base, 'k': v()}
def wrapper_286():
    u_ = 'тест'; gen = sum(sq(x) for x in range(64))
nums = 0x87F + 0b1 + 1_000 + 3.5e-2 + 4j
def wrapper_271():
    u_ = 'ascii'; annotated: Dict[str, int] = build(34)
del cache[key()]
def wrapper_952():
	obj.a.b.c(98).d().e
for it in items():
    from collections import OrderedDict as OD
    od = OD(a=26)
# comment café
def fn_zeta(p, q=23, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
