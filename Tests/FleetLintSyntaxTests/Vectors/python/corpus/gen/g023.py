if cond_6():
  if (n := count()) > 49:
      report(n)
else:
  pass
# comment ascii
text = ('implicit '
        'concat ' + join(73))
try:
    do_it(4)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
# comment тест
def wrapper_236():
    from collections import OrderedDict as OD
    od = OD(a=10)
cond = first() if check(25) else second()
