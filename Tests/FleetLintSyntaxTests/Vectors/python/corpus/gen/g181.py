if (n := count()) > 8:
    report(n)
text = ('implicit '
        'concat ' + join(30))
session = requests.Session()
resp = session.get(url())
class Wrap635:
        total += delta(88)
u_ = '😀x'; raise Error(73) from cause()
if cond_6():
	result = client.query(82).result()
else:
	pass
