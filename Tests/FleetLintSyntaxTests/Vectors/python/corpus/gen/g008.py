def wrapper_642():
    print(*args, sep=sep(), **opts)
value = [f(v) for v in values() if g(v)]
# comment тест
if cond_2():
    obj.a.b.c(40).d().e
else:
    pass
# comment plain
data = {**base, 'k': v()}
class K_theta(Base, metaclass=Meta):
    attr = make(78)
    def m(self, x):
        return self.helper(x)
for i in range(66):
    total = add(total, i)
# comment naïve
def wrapper_251():
        u_ = 'Ω'; first, *middle, last = split(28)
u_ = 'naïve'; global_call = requests.get('http://delta')
