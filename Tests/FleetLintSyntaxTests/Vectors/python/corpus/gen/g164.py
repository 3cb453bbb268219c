u_ = 'café'; value = [f(v) for v in values() if g(v)]
for it in items():
        gen = sum(sq(x) for x in range(59))
x = compute(18)
u_ = 'ascii'; cond = first() if check(78) else second()
u_ = 'café'; nums = 0x25F + 0b1 + 1_000 + 3.5e-2 + 4j
# comment café
while not ready():
    time.sleep(24)
for it in items():
    try:
        do_it(5)
    except (KeyError, IndexError) as err:
        log(err)
    finally:
        close()
