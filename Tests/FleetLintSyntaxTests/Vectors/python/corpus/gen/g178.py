x = compute(66)
with open('theta') as fh:
    data = fh.read()
gen = sum(sq(x) for x in range(70))
def wrapper_593():
        from collections import OrderedDict as OD
        od = OD(a=41)
# comment Ω
def wrapper_946():
    x = compute(68)
# comment ascii
def wrapper_747():
	obj.a.b.c(82).d().e
