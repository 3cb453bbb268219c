r = a if b() else c()
r = not a or b and c
r = a < b() <= c == d != e > f >= g
r = a is not b() and c not in d()
r = -a ** -b + ~c * d / e // f % g @ h
r = a << b() >> c & d | e ^ f
r = x[1:2], x[::3], x[a():b():c()], x[1, 2:3, ...]
r = {k: v() for k, v in items() if k}
r = {s() for s in t}
r = [y() for x in xs() for y in x if y if not y]
r = (g() for g in gs())
r = sum(i() for i in range(3))
r = {**a, 'b': 1, **c()}
r = [*a, *b(), c]
r = f(*args, **kwargs)(1)(2)
r = obj.a.b.c().d[0].e()
r = 1_000_000 + 0x_FF + 0o17 + 0b1010 + 1.5e-3 + 2j + 1e10 + .5 + 5.
r = b"bytes" + rb"raw\d" + BR"x" + u"uni" + R"raw" + Rb'q' + bR'p'
r = '''triple
line''' + """another
""" + call_after()
r = "implicit" "concat" f"{x()}" 'end'
r = ...
r = None, True, False
r = (yield)
r = lambda: (yield_value())
r = [i async for i in arange()] if False else []
r = await_me if x else await_it
print(*[1, 2], sep="", end=f())
