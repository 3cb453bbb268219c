if cond_4():
	global_call = requests.get('http://alpha')
else:
	pass
# comment Ω
def wrapper_383():
	match cmd(34):
	    case [x]:
	        one(x)
	    case _:
	        other()
if cond_2():
    raise Error(15) from cause()
else:
    pass
# comment plain
