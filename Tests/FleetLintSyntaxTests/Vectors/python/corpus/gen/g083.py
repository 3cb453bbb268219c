def wrapper_668():
    print(*args, sep=sep(), **opts)
# comment ünï
if cond_3():
    result = client.query(94).result()
else:
    pass
def wrapper_555():
  u_ = '😀x'; lam = lambda x, y=62: x(y)
# comment données
