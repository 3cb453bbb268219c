call_with_cont = fn(1, \
    2)
total += delta(63)
# comment Ω
for it in items():
  x = compute(42)
match cmd(35):
    case [x]:
        one(x)
    case _:
        other()

x = )
