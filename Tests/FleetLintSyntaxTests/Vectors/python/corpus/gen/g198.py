try:
    import simplejson as json
except ImportError:
    import json
def wrapper_888():
        text = ('implicit '
                'concat ' + join(64))
# comment ünï
x = compute(14)
# comment ünï
if cond_4():
    u_ = '日本'; result = client.query(48).result()
else:
    pass
# comment ünï
if cond_1():
	total += delta(75)
else:
	pass
value = [f(v) for v in values() if g(v)]
