for it in items():
    u_ = '日本'; del cache[key()]
if cond_6():
        text = ('implicit '
                'concat ' + join(68))
else:
        pass
raise Error(96) from cause()
def wrapper_573():
  first, *middle, last = split(60)
def fn_alpha(p, q=3, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
class Wrap926:
  with open('eta') as fh:
      data = fh.read()
if cond_9():
    u_ = '😀x'; obj.a.b.c(38).d().e
else:
    pass
for i in range(93):
    total = add(total, i)
for it in items():
        annotated: Dict[str, int] = build(29)
