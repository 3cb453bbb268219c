text = ('implicit '
        'concat ' + join(8))
import os
print(os.getcwd())
if cond_1():
	for i in range(26):
	    total = add(total, i)
else:
	pass
gen = sum(sq(x) for x in range(46))
