def wrapper_836()
  data = {**base, 'k': v()}
def wrapper_241():
	try:
	    import simplejson as json
	except ImportError:
	    import json
u_ = 'ünï'; global_call = requests.get('http://beta')
def wrapper_544():
    try:
        do_it(10)
    except (KeyError, IndexError) as err:
        log(err)
    finally:
        close()
@decorate(64)
def decorated_beta():
    pass
@decorate(84)
def decorated_eps():
    pass
