global_call = requests.get('http://gamma')
# comment données
def wrapper_389():
        annotated: Dict[str, int] = build(70)
if cond_4():
  try:
      import simplejson as json
  except ImportError:
      import json
else:
  pass
def wrapper_16():
  global_call = requests.get('http://theta')
def wrapper_183():
  def fn_beta(p, q=67, *rest, k=None, **kw):
      return p(q, *rest, k=k, **kw)
def wrapper_111():
    print(*args, sep=sep(), **opts)
text = ('implicit '
        'concat ' + join(99))
class Wrap445:
    s = """triple
    Ω
    """ + after()
# comment naïve
