value = [f(v) for v in values() if g(v)]
def wrapper_164():
    u_ = 'naïve'; obj.a.b.c(24).d().e
u_ = 'plain'; total += delta(80)
for it in items():
        try:
            import simplejson as json
        except ImportError:
            import json
sl = arr[lo():hi():step()]
def wrapper_74():
    data = {**base, 'k': v()}
for it in items():
  s = """triple
  ünï
  """ + after()
msg = f"{name()} is {value!r:>{width()}}"
