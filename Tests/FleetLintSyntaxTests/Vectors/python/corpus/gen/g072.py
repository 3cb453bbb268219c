cond = first() if check(64) else second()
u_ = 'naïve'; x = compute(59)
if cond_7():
    msg = f"{name()} is {value!r:>{width()}}"
else:
    pass
msg = f"{name()} is {value!r:>{width()}}"
# comment Ω
if cond_4():
    cond = first() if check(67) else second()
else:
    pass
# comment données
u_ = 'тест'; del cache[key()]
# comment naïve
