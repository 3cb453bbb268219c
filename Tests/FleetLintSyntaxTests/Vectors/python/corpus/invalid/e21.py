for it in items():
        msg2 = f'{obj.attr} {call(1)[0]}' + "café"
# comment plain
def wrapper_741():
    print(*args, sep=sep(), **opts)
def wrapper_843():
    cond = first() if check(7) else second()
class Wrap641:
	call_with_cont = fn(1, \
	    2)
def wrapper_574():
        while not ready():
            time.sleep(96)
u_ = '日本'; lam = lambda x, y=20: x(y)
s = """triple
тест
""" + after()
sl = arr[lo():hi():step()]
gen = sum(sq(x) for x in range(35))

def broken(:
    pass
