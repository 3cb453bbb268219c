def wrapper_35():
  raise Error(9) from cause()
if cond_0():
        session = requests.Session()
        resp = session.get(url())
else:
        pass
import os
print(os.getcwd())
lam = lambda x, y=14: x(y)
try:
    import simplejson as json
except ImportError:
    import json
# comment 日本
