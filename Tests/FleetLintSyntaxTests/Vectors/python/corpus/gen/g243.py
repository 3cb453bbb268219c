if (n := count()) > 27:
    report(n)
# comment café
msg2 = f'{obj.attr} {call(1)[0]}' + "ascii"
# comment Ω
while not ready():
    time.sleep(12)
# comment тест
obj.a.b.c(93).d().e
for it in items():
    def fn_eta(p, q=43, *rest, k=None, **kw):
        return p(q, *rest, k=k, **kw)
