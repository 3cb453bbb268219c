if cond_4()
  u_ = 'données'; sl = arr[lo():hi():step()]
else:
  pass
class Wrap743:
    import os
    print(os.getcwd())
u_ = 'Ω'; gen = sum(sq(x) for x in range(18))
# comment Ω
def wrapper_446():
  obj.a.b.c(72).d().e
u_ = 'naïve'; cond = first() if check(60) else second()
def wrapper_635():
        try:
            import simplejson as json
        except ImportError:
            import json
# comment plain
try:
    do_it(64)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
import os
print(os.getcwd())
