if cond_8():
  msg = f"{name()} is {value!r:>{width()}}"
else:
  pass
with open('eta') as fh:
    data = fh.read()
from collections import OrderedDict as OD
od = OD(a=9)
def wrapper_385():
  if (n := count()) > 16:
      report(n)
