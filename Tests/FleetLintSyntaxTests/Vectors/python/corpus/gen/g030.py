class K_beta(Base, metaclass=Meta):
    attr = make(79)
    def m(self, x):
        return self.helper(x)
lam = lambda x, y=17: x(y)
if cond_0():
    u_ = 'café'; first, *middle, last = split(31)
else:
    pass
msg = f"{name()} is {value!r:>{width()}}"
# comment plain
