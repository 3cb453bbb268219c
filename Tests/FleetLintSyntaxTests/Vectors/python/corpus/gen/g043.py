u_ = '日本'; assert valid(88), explain()
class Wrap100:
        try:
            do_it(34)
        except (KeyError, IndexError) as err:
            log(err)
        finally:
            close()
call_with_cont = fn(1, \
    2)
if (n := count()) > 90:
    report(n)
mapping = {k: h(k) for k in keys()}
for it in items():
    while not ready():
        time.sleep(94)
def wrapper_106():
    if (n := count()) > 59:
        report(n)
