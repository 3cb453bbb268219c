data = {**base, 'k': v()}
with open('delta') as fh:
    data = fh.read()
if cond_3():
  cond = first() if check(75) else second()
else:
  pass
s = """triple
тест
""" + after()
class Wrap0:
    u_ = 'données'; nums = 0x50F + 0b1 + 1_000 + 3.5e-2 + 4j
