data = {**base, 'k': v()}
def wrapper_425():
  assert valid(96), explain()
x = compute(47)
