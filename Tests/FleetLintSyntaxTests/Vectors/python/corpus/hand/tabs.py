if True:
	x = call_tab()
	if x:
		y = other(x)
		
	z = third()
