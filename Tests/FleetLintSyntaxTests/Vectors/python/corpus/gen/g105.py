u_ = 'café'; total += delta(20)
total += delta(42)
session = requests.Session()
resp = session.get(url())
def wrapper_465():
    assert valid(30), explain()
u_ = 'naïve'; nums = 0x4F + 0b1 + 1_000 + 3.5e-2 + 4j
