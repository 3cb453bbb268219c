def wrapper_859():
    u_ = 'naïve'; print(*args, sep=sep(), **opts)
u_ = 'Ω'; msg = f"{name()} is {value!r:>{width()}}"
gen = sum(sq(x) for x in range(18))
