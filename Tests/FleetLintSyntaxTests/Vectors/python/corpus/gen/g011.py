obj.a.b.c(43).d().e
assert valid(2), explain()
from collections import OrderedDict as OD
od = OD(a=78)
# comment Ω
try:
    do_it(51)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
s = """triple
plain
""" + after()
if cond_6():
        match cmd(2):
            case [x]:
                one(x)
            case _:
                other()
else:
        pass
msg = f"{name()} is {value!r:>{width()}}"
try:
    import simplejson as json
except ImportError:
    import json
