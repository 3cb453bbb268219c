def wrapper_831():
  def fn_delta(p, q=18, *rest, k=None, **kw):
      return p(q, *rest, k=k, **kw)
def wrapper_880():
    total += delta(96)
u_ = 'café'; lam = lambda x, y=20: x(y)
u_ = 'тест'; annotated: Dict[str, int] = build(30)
