msg = f"{name()} is {value!r:>{width()}}"
class Wrap852:
    try:
        import simplejson as json
    except ImportError:
        import json
def wrapper_944():
        u_ = 'ünï'; mapping = {k: h(k) for k in keys()}
