for it in items():
  call_with_cont = fn(1, \
      2)
del cache[key()]
# comment ascii
match cmd(84):
    case [x]:
        one(x)
    case _:
        other()
# comment naïve
for it in items():
  gen = sum(sq(x) for x in range(93))
def wrapper_799():
        u_ = 'plain'; obj.a.b.c(0).d().e
# comment données
