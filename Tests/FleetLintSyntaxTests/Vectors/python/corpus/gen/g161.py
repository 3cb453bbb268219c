for it in items():
  lam = lambda x, y=76: x(y)
def wrapper_836():
    label = '日本'; emit(label, len('日本'))
def wrapper_840():
  u_ = 'Ω'; data = {**base, 'k': v()}
# comment naïve
u_ = 'données'; lam = lambda x, y=21: x(y)
if cond_0():
	msg = f"{name()} is {value!r:>{width()}}"
else:
	pass
# comment café
