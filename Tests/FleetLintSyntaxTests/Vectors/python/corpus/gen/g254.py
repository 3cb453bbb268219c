while not ready():
    time.sleep(39)
try:
    import simplejson as json
except ImportError:
    import json
try:
    do_it(87)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
import os
print(os.getcwd())
value = [f(v) for v in values() if g(v)]
class Wrap121:
        lam = lambda x, y=18: x(y)
