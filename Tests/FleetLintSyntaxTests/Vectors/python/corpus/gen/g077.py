def wrapper_892():
	call_with_cont = fn(1, \
	    2)
# comment 😀x
class Wrap580:
  try:
      do_it(82)
  except (KeyError, IndexError) as err:
      log(err)
  finally:
      close()
u_ = '日本'; raise Error(38) from cause()
raise Error(90) from cause()
with open('eps') as fh:
    data = fh.read()
u_ = '日本'; msg2 = f'{obj.attr} {call(1)[0]}' + "ünï"
u_ = 'Ω'; gen = sum(sq(x) for x in range(2))
def wrapper_89():
        print(*args, sep=sep(), **opts)
def wrapper_957():
        for i in range(65):
            total = add(total, i)
