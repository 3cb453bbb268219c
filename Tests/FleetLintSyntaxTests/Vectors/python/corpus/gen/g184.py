try:
    do_it(69)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
# comment données
try:
    import simplejson as json
except ImportError:
    import json
u_ = 'ascii'; mapping = {k: h(k) for k in keys()}
obj.a.b.c(86).d().e
# comment Ω
x = compute(29)
# comment ünï
@decorate(15)
def decorated_eta():
    pass
