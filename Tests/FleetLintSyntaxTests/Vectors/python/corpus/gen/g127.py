def wrapper_100():
  result = client.query(49).result()
for it in items():
	mapping = {k: h(k) for k in keys()}
lam = lambda x, y=76: x(y)
# comment 😀x
u_ = 'plain'; nums = 0x30F + 0b1 + 1_000 + 3.5e-2 + 4j
total += delta(34)
# comment тест
def wrapper_824():
  gen = sum(sq(x) for x in range(24))
