u_ = 'café'; lam = lambda x, y=9: x(y)
if cond_6():
        u_ = 'ascii'; gen = sum(sq(x) for x in range(66))
else:
        pass
def wrapper_492():
  import os
  print(os.getcwd())
