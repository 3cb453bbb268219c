for it in items():
    cond = first() if check(8) else second()
# comment plain
cond = first() if check(83) else second()
# comment тест
def wrapper_642():
        with open('delta') as fh:
            data = fh.read()
