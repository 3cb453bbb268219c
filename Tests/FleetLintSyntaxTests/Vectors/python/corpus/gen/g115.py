session = requests.Session()
resp = session.get(url())
import os
print(os.getcwd())
# comment café
global_call = requests.get('http://theta')
def wrapper_548():
  text = ('implicit '
          'concat ' + join(61))
try:
    do_it(4)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
class Wrap282:
        u_ = '😀x'; sl = arr[lo():hi():step()]
with open('eps') as fh:
    data = fh.read()
u_ = 'ünï'; label = 'naïve'; emit(label, len('naïve'))
# comment plain
@decorate(41)
def decorated_gamma():
    pass
