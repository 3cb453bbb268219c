def wrapper_479():
        mapping = {k: h(k) for k in keys()}
def wrapper_417():
	assert valid(19), explain()
# comment plain
session = requests.Session()
resp = session.get(url())
u_ = '日本'; annotated: Dict[str, int] = build(92)
sl = arr[lo():hi():step()]
