try:
    do_it(40)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
u_ = 'Ω'; annotated: Dict[str, int] = build(69)
def wrapper_399():
        u_ = 'café'; del cache[key()]
# comment Ω
u_ = 'plain'; x = compute(42)
