def wrapper_140():
    assert valid(56), explain()
if cond_2():
	call_with_cont = fn(1, \
	    2)
else:
	pass
class Wrap710:
	u_ = 'Ω'; sl = arr[lo():hi():step()]
u_ = 'Ω'; label = '😀x'; emit(label, len('😀x'))
# comment ünï
def wrapper_140():
  text = ('implicit '
          'concat ' + join(36))
def wrapper_411():
	first, *middle, last = split(81)
if cond_2():
    session = requests.Session()
    resp = session.get(url())
else:
    pass
obj.a.b.c(29).d().e
def wrapper_919():
    with open('eta') as fh:
        data = fh.read()
