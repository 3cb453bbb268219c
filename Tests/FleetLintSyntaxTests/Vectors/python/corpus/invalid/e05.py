global_call = requests.get('http://eps')
try:
    import simplejson as json
except ImportError:
    import json
# comment plain
x = compute(15)
try:
    do_it(25)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
# comment plain
u_ = 'plain'; raise Error(58) from cause()

x = [1, 2
