call_with_cont = fn(1, \
    2)
def wrapper_380():
        msg2 = f'{obj.attr} {call(1)[0]}' + "plain"
class Wrap870:
  first, *middle, last = split(83)
if cond_2():
    label = 'Ω'; emit(label, len('Ω'))
else:
    pass
obj.a.b.c(66).d().e
# comment ünï
data = {**base, 'k': v()}
x = compute(64)
