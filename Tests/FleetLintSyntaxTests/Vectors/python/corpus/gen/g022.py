while not ready():
    time.sleep(92)
u_ = 'plain'; total += delta(58)
u_ = '日本'; label = 'café'; emit(label, len('café'))
def wrapper_288():
    data = {**base, 'k': v()}
for it in items():
  def fn_delta(p, q=21, *rest, k=None, **kw):
      return p(q, *rest, k=k, **kw)
