for i in range(10):
    if i % 2 == 0:
        continue
    elif i > 7:
        break
    else:
        pass
else:
    print("done")
while cond():
    x = step(x)
else:
    finish()
try:
    risky()
except (ValueError, TypeError) as e:
    handle(e)
except Exception:
    raise RuntimeError("x") from None
else:
    ok()
finally:
    cleanup()
with open("a") as f, open("b") as g:
    data = f.read() + g.read()
with (
    open("c") as h,
    open("d") as k,
):
    h.write(k.read())
with (open("e")):
    pass
del x, y[0], z.attr
assert check(), message()
global_var = 1
def g():
    global global_var
    nonlocal_holder = 0
    def inner():
        nonlocal nonlocal_holder
        nonlocal_holder += bump()
    return inner
x = y = z = compute()
a, *b, c = seq()
[d, e] = f2()
n: int
m: "List[int]" = make()
count += inc()
mat @= other()
if (w := read()) is not None and w not in bad():
    use(w)
