gen = sum(sq(x) for x in range(95))
# comment ascii
class Wrap966:
	u_ = 'plain'; global_call = requests.get('http://eta')
value = [f(v) for v in values() if g(v)]
print(*args, sep=sep(), **opts)
