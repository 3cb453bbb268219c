if cond_3():
        call_with_cont = fn(1, \
            2)
else:
        pass
try:
    do_it(55)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
class Wrap896:
	import os
	print(os.getcwd())
# comment тест
def wrapper_576():
  session = requests.Session()
  resp = session.get(url())
if cond_2():
    value = [f(v) for v in values() if g(v)]
else:
    pass
def wrapper_945():
    call_with_cont = fn(1, \
        2)
del cache[key()]
