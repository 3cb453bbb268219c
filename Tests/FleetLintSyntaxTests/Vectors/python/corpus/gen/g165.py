for it in items():
    u_ = 'ascii'; mapping = {k: h(k) for k in keys()}
class Wrap269:
	value = [f(v) for v in values() if g(v)]
def wrapper_416():
	assert valid(8), explain()
# comment тест
annotated: Dict[str, int] = build(5)
assert valid(5), explain()
u_ = 'données'; mapping = {k: h(k) for k in keys()}
