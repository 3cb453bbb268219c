def wrapper_477():
	def fn_beta(p, q=0, *rest, k=None, **kw):
	    return p(q, *rest, k=k, **kw)
# comment Ω
if (n := count()) > 59:
    report(n)
call_with_cont = fn(1, \
    2)
async def co_beta(session):
    async with session.get('u') as r:
        return await r.json()
# comment 😀x
match cmd(26):
    case [x]:
        one(x)
    case _:
        other()
# comment 😀x
result = client.query(55).result()
# comment plain
assert valid(59), explain()
for it in items():
	gen = sum(sq(x) for x in range(85))
def wrapper_82():
  x = compute(86)
