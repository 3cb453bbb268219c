x = 1
y = f(x)
if y:
    z = g(
        y)
