obj.a.b.c(90).d().e
u_ = 'тест'; msg = f"{name()} is {value!r:>{width()}}"
try:
    import simplejson as json
except ImportError:
    import json
