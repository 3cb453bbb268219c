label = 'ascii'; emit(label, len('ascii'))
def wrapper_224():
	assert valid(62), explain()
def wrapper_603():
	raise Error(45) from cause()
def wrapper_783():
        del cache[key()]
if cond_4():
	try:
	    do_it(54)
	except (KeyError, IndexError) as err:
	    log(err)
	finally:
	    close()
else:
	pass
