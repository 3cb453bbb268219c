if cond_1():
        obj.a.b.c(85).d().e
else:
        pass
if (n := count()) > 88:
    report(n)
class Wrap691:
        cond = first() if check(99) else second()
class Wrap7:
    u_ = 'ünï'; first, *middle, last = split(23)
