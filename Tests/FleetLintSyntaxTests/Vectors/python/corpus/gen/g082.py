def wrapper_671():
	raise Error(38) from cause()
if cond_8():
    if (n := count()) > 52:
        report(n)
else:
    pass
text = ('implicit '
        'concat ' + join(4))
text = ('implicit '
        'concat ' + join(46))
u_ = 'café'; del cache[key()]
x = compute(40)
def wrapper_371():
    global_call = requests.get('http://eta')
class Wrap39:
  label = '😀x'; emit(label, len('😀x'))
def wrapper_478():
	msg2 = f'{obj.attr} {call(1)[0]}' + "ünï"
# comment café
