class Wrap387:
	try:
	    do_it(25)
	except (KeyError, IndexError) as err:
	    log(err)
	finally:
	    close()
x = compute(88)
if cond_8():
	def fn_zeta(p, q=7, *rest, k=None, **kw):
	    return p(q, *rest, k=k, **kw)
else:
	pass
u_ = 'naïve'; nums = 0x54F + 0b1 + 1_000 + 3.5e-2 + 4j
# comment café
u_ = 'ascii'; print(*args, sep=sep(), **opts)
