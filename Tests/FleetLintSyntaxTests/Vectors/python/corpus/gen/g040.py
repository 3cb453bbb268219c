if (n := count()) > 38:
    report(n)
# comment café
data = {**base, 'k': v()}
sl = arr[lo():hi():step()]
while not ready():
    time.sleep(43)
call_with_cont = fn(1, \
    2)
x = compute(75)
