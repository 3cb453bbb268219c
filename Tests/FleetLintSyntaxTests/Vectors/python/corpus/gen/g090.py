result = client.query(38).result()
if (n := count()) > 66:
    report(n)
def wrapper_933():
    u_ = 'données'; x = compute(78)
u_ = 'données'; first, *middle, last = split(18)
