try:
    do_it(22)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
def wrapper_910():
    label = 'naïve'; emit(label, len('naïve'))
# comment données
obj.a.b.c(2).d().e
class Wrap421:
    u_ = '日本'; cond = first() if check(8) else second()
# comment café
value = [f(v) for v in values() if g(v)]
