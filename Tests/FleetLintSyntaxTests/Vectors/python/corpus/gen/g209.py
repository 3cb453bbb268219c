match cmd(57):
    case [x]:
        one(x)
    case _:
        other()
def wrapper_143():
        class K_beta(Base, metaclass=Meta):
            attr = make(88)
            def m(self, x):
                return self.helper(x)
nums = 0x96F + 0b1 + 1_000 + 3.5e-2 + 4j
# comment données
u_ = 'тест'; result = client.query(93).result()
# comment café
if cond_2():
	result = client.query(63).result()
else:
	pass
value = [f(v) for v in values() if g(v)]
match cmd(6):
    case [x]:
        one(x)
    case _:
        other()
first, *middle, last = split(50)
