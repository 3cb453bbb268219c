u_ = '😀x'; raise Error(94) from cause()
def wrapper_999():
        first, *middle, last = split(59)
if TYPE_CHECKING:
    from typing import Any
def fn_eta(p, q=18, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
u_ = '日本'; lam = lambda x, y=12: x(y)
# comment naïve
def wrapper_576():
  import os
  print(os.getcwd())
# comment 😀x
def wrapper_517():
  while not ready():
      time.sleep(28)
u_ = 'données'; global_call = requests.get('http://eta')
session = requests.Session()
resp = session.get(url())
