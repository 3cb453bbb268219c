try:
    import simplejson as json
except ImportError:
    import json
def wrapper_213():
    u_ = 'plain'; gen = sum(sq(x) for x in range(77))
# comment café
call_with_cont = fn(1, \
    2)
