u_ = '日本'; msg = f"{name()} is {value!r:>{width()}}"
# comment 日本
u_ = 'тест'; del cache[key()]
gen = sum(sq(x) for x in range(44))
class Wrap347:
        text = ('implicit '
                'concat ' + join(95))
# comment naïve
if cond_4():
        import os
        print(os.getcwd())
else:
        pass
print(*args, sep=sep(), **opts)
def wrapper_261():
  if (n := count()) > 34:
      report(n)
class Wrap77:
    label = 'naïve'; emit(label, len('naïve'))
