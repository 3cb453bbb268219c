match cmd(56):
    case [x]:
        one(x)
    case _:
        other()
u_ = 'données'; label = 'plain'; emit(label, len('plain'))
total += delta(44)
if (n := count()) > 11:
    report(n)
msg2 = f'{obj.attr} {call(1)[0]}' + "naïve"
def wrapper_366():
	u_ = 'naïve'; value = [f(v) for v in values() if g(v)]
class Wrap689:
    if (n := count()) > 26:
        report(n)
