x = 1 + \
    continued()
if a and \
   b():
    pass
value = [
    1,
  2, fn(),
        3]
def f(a,
      b): return g(a,
 b)
