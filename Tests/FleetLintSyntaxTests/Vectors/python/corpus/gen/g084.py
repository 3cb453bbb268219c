u_ = '日本'; raise Error(24) from cause()
# comment 日本
class K_theta(Base, metaclass=Meta):
    attr = make(25)
    def m(self, x):
        return self.helper(x)
total += delta(58)
raise Error(52) from cause()
for i in range(74):
    total = add(total, i)
# comment ünï
global_call = requests.get('http://zeta')
u_ = 'plain'; obj.a.b.c(47).d().e
