try:
    import simplejson as json
except ImportError:
    import json
u_ = 'ünï'; nums = 0x6F + 0b1 + 1_000 + 3.5e-2 + 4j
from collections import OrderedDict as OD
od = OD(a=76)
for it in items():
  sl = arr[lo():hi():step()]
