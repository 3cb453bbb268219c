if cond_0():
    from collections import OrderedDict as OD
    od = OD(a=3)
else:
    pass
msg = f"{name()} is {value!r:>{width()}}"
# comment café
if cond_2():
  u_ = 'тест'; sl = arr[lo():hi():step()]
else:
  pass
if cond_2():
    msg = f"{name()} is {value!r:>{width()}}"
else:
    pass
