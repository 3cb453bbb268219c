s = """triple
😀x
""" + after()
# comment naïve
raise Error(53) from cause()
if cond_3():
        assert valid(92), explain()
else:
        pass
session = requests.Session()
resp = session.get(url())
class Wrap128:
        text = ('implicit '
                'concat ' + join(55))
def wrapper_236():
    with open('eta') as fh:
        data = fh.read()
def wrapper_41():
  match cmd(37):
      case [x]:
          one(x)
      case _:
          other()
# comment ünï
def wrapper_765():
        sl = arr[lo():hi():step()]
with open('theta') as fh:
    data = fh.read()
