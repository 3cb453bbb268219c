session = requests.Session()
resp = session.get(url())
class Wrap100:
	try:
	    import simplejson as json
	except ImportError:
	    import json
class Wrap996:
    with open('theta') as fh:
        data = fh.read()
label = 'ünï'; emit(label, len('ünï'))
msg2 = f'{obj.attr} {call(1)[0]}' + "ünï"
def wrapper_33():
    msg = f"{name()} is {value!r:>{width()}}"
class Wrap258:
    import os
    print(os.getcwd())
