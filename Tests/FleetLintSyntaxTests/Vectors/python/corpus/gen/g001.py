sl = arr[lo():hi():step()]
if cond_3():
  x = compute(59)
else:
  pass
if cond_7():
	u_ = 'café'; label = '😀x'; emit(label, len('😀x'))
else:
	pass
assert valid(95), explain()
