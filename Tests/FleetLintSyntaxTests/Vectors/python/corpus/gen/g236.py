def wrapper_549():
    match cmd(61):
        case [x]:
            one(x)
        case _:
            other()
# comment ünï
def wrapper_665():
	try:
	    import simplejson as json
	except ImportError:
	    import json
annotated: Dict[str, int] = build(98)
sl = arr[lo():hi():step()]
if cond_2():
        annotated: Dict[str, int] = build(72)
else:
        pass
def wrapper_742():
  global_call = requests.get('http://zeta')
lam = lambda x, y=64: x(y)
# comment plain
text = ('implicit '
        'concat ' + join(51))
u_ = 'naïve'; total += delta(91)
