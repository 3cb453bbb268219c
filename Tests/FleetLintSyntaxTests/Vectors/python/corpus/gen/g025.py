mapping = {k: h(k) for k in keys()}
from collections import OrderedDict as OD
od = OD(a=89)
for it in items():
  try:
      import simplejson as json
  except ImportError:
      import json
if cond_0():
        text = ('implicit '
                'concat ' + join(79))
else:
        pass
session = requests.Session()
resp = session.get(url())
with open('delta') as fh:
    data = fh.read()
def wrapper_920():
        u_ = 'données'; lam = lambda x, y=64: x(y)
class Wrap873:
        for i in range(28):
            total = add(total, i)
