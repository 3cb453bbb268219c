lam = lambda x, y=97: x(y)
u_ = 'naïve'; del cache[key()]
if cond_0():
	match cmd(47):
	    case [x]:
	        one(x)
	    case _:
	        other()
else:
	pass
if cond_5():
  global_call = requests.get('http://delta')
else:
  pass
