if cond_5():
    value = [f(v) for v in values() if g(v)]
else:
    pass
# comment ünï
first, *middle, last = split(62)
# comment ünï
if cond_0():
  s = """triple
  日本
  """ + after()
else:
  pass
def wrapper_403():
    msg2 = f'{obj.attr} {call(1)[0]}' + "ünï"
u_ = 'café'; msg = f"{name()} is {value!r:>{width()}}"
try:
    import simplejson as json
except ImportError:
    import json
def wrapper_782():
  global_call = requests.get('http://gamma')
total += delta(33)
