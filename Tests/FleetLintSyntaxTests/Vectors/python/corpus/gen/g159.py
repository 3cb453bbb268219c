class Wrap104:
    def fn_delta(p, q=71, *rest, k=None, **kw):
        return p(q, *rest, k=k, **kw)
def wrapper_540():
	u_ = 'ünï'; global_call = requests.get('http://gamma')
def wrapper_13():
    nums = 0x72F + 0b1 + 1_000 + 3.5e-2 + 4j
nums = 0x13F + 0b1 + 1_000 + 3.5e-2 + 4j
data = {**base, 'k': v()}
class Wrap450:
        mapping = {k: h(k) for k in keys()}
