u_ = 'тест'; mapping = {k: h(k) for k in keys()}
value = [f(v) for v in values() if g(v)]
annotated: Dict[str, int] = build(69)
match cmd(76):
    case [x]:
        one(x)
    case _:
        other()
with open('eta') as fh:
    data = fh.read()
# comment 😀x
u_ = 'données'; annotated: Dict[str, int] = build(88)
try:
    import simplejson as json
except ImportError:
    import json
# comment ascii
def wrapper_652():
    u_ = '日本'; cond = first() if check(58) else second()
