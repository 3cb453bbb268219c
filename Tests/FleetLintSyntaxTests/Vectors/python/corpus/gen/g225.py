import os
print(os.getcwd())
def wrapper_717():
    from collections import OrderedDict as OD
    od = OD(a=12)
# comment 😀x
def wrapper_690():
  lam = lambda x, y=96: x(y)
def wrapper_145():
    try:
        import simplejson as json
    except ImportError:
        import json
def wrapper_304():
        sl = arr[lo():hi():step()]
