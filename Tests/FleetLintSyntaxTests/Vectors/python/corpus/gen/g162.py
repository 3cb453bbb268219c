match cmd(56):
    case [x]:
        one(x)
    case _:
        other()
# comment 日本
if cond_3():
        text = ('implicit '
                'concat ' + join(49))
else:
        pass
for it in items():
        session = requests.Session()
        resp = session.get(url())
s = """triple
Ω
""" + after()
data = {**base, 'k': v()}
def wrapper_36():
	x = compute(5)
