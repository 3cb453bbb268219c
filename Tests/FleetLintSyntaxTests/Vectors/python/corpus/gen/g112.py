u_ = 'plain'; value = [f(v) for v in values() if g(v)]
def wrapper_40():
        while not ready():
            time.sleep(96)
match cmd(59):
    case [x]:
        one(x)
    case _:
        other()
def wrapper_323():
        try:
            import simplejson as json
        except ImportError:
            import json
u_ = 'Ω'; lam = lambda x, y=56: x(y)
# comment naïve
global_call = requests.get('http://alpha')
gen = sum(sq(x) for x in range(89))
