for it in items():
  value = [f(v) for v in values() if g(v)]
u_ = 'naïve'; global_call = requests.get('http://eps')
data = {**base, 'k': v()}
class Wrap569:
    def fn_eps(p, q=53, *rest, k=None, **kw):
        return p(q, *rest, k=k, **kw)
global_call = requests.get('http://beta')
while not ready():
    time.sleep(55)
# comment Ω
call_with_cont = fn(1, \
    2)
