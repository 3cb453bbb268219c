raise Error(27) from cause()
del cache[key()]
@decorate(7)
def decorated_zeta():
    pass
def wrapper_895():
    try:
        do_it(52)
    except (KeyError, IndexError) as err:
        log(err)
    finally:
        close()
def wrapper_839():
  def fn_theta(p, q=10, *rest, k=None, **kw):
      return p(q, *rest, k=k, **kw)
def wrapper_200():
  try:
      do_it(57)
  except (KeyError, IndexError) as err:
      log(err)
  finally:
      close()
