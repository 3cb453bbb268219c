u_ = 'тест'; label = 'ascii'; emit(label, len('ascii'))
def wrapper_178():
  import os
  print(os.getcwd())
print(*args, sep=sep(), **opts)
obj.a.b.c(22).d().e
# comment naïve
total += delta(46)
if cond_2():
  u_ = '日本'; first, *middle, last = split(41)
else:
  pass
def wrapper_762():
	assert valid(70), explain()
