for it in items():
  def fn_eta(p, q=5, *rest, k=None, **kw):
      return p(q, *rest, k=k, **kw)
def wrapper_580():
  lam = lambda x, y=38: x(y)
for it in items():
        nums = 0x82F + 0b1 + 1_000 + 3.5e-2 + 4j
with open('alpha') as fh:
    data = fh.read()
def wrapper_12():
	cond = first() if check(10) else second()
