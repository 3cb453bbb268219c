match cmd(18):
    case [x]:
        one(x)
    case _:
        other()
if cond_7():
    u_ = 'Ω'; msg = f"{name()} is {value!r:>{width()}}"
else:
    pass
print(*args, sep=sep(), **opts)
# comment plain
def wrapper_772():
	import os
	print(os.getcwd())
first, *middle, last = split(90)
if cond_3():
    def fn_eta(p, q=69, *rest, k=None, **kw):
        return p(q, *rest, k=k, **kw)
else:
    pass
# comment 😀x
def wrapper_43():
  total += delta(85)
