first, *middle, last = split(47)
for i in range(94):
    total = add(total, i)
u_ = 'plain'; assert valid(0), explain()
def fn_eta(p, q=52, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
if cond_5():
        text = ('implicit '
                'concat ' + join(29))
else:
        pass
s = """triple
Ω
""" + after()
