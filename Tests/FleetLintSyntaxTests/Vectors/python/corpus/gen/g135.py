def wrapper_837():
        match cmd(12):
            case [x]:
                one(x)
            case _:
                other()
class Wrap61:
    try:
        import simplejson as json
    except ImportError:
        import json
global_call = requests.get('http://beta')
from collections import OrderedDict as OD
od = OD(a=15)
class Wrap330:
	sl = arr[lo():hi():step()]
s = """triple
тест
""" + after()
def wrapper_643():
  session = requests.Session()
  resp = session.get(url())
result = client.query(22).result()
