if cond_3():
        u_ = 'plain'; gen = sum(sq(x) for x in range(72))
else:
        pass
try:
    import simplejson as json
except ImportError:
    import json
from collections import OrderedDict as OD
od = OD(a=70)
def wrapper_160():
  raise Error(10) from cause()
# comment données
try:
    do_it(43)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
with open('alpha') as fh:
    data = fh.read()

class :
    pass
