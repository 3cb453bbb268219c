@decorate(1)
def decorated_delta():
    pass
try:
    import simplejson as json
except ImportError:
    import json
first, *middle, last = split(55)
# comment тест
def wrapper_103():
        with open('delta') as fh:
            data = fh.read()
text = ('implicit '
        'concat ' + join(14))
print(*args, sep=sep(), **opts)
def wrapper_683():
	first, *middle, last = split(50)
class Wrap818:
    value = [f(v) for v in values() if g(v)]
