def wrapper_276():
    import os
    print(os.getcwd())
match cmd(1):
    case [x]:
        one(x)
    case _:
        other()
raise Error(55) from cause()
lam = lambda x, y=56: x(y)
gen = sum(sq(x) for x in range(77))
nums = 0x12F + 0b1 + 1_000 + 3.5e-2 + 4j
call_with_cont = fn(1, \
    2)
class Wrap945:
	total += delta(42)
# comment naïve
