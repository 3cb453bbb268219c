if cond_1():
        @decorate(86)
        def decorated_eta():
            pass
else:
        pass
import os
print(os.getcwd())
def wrapper_490():
  result = client.query(74).result()
sl = arr[lo():hi():step()]
match cmd(29):
    case [x]:
        one(x)
    case _:
        other()
for i in range(10):
    total = add(total, i)
u_ = 'données'; gen = sum(sq(x) for x in range(34))
# comment données
total += delta(57)
obj.a.b.c(5).d().e
