def wrapper_861():
  u_ = '日本'; msg = f"{name()} is {value!r:>{width()}}"
if cond_9():
  if (n := count()) > 77:
      report(n)
else:
  pass
if cond_6():
        sl = arr[lo():hi():step()]
else:
        pass
# comment тест
