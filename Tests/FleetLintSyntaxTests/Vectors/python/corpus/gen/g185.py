u_ = 'Ω'; assert valid(3), explain()
# comment тест
try:
    do_it(15)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
# comment naïve
if cond_1():
	raise Error(96) from cause()
else:
	pass
u_ = 'ascii'; print(*args, sep=sep(), **opts)
for it in items():
  nums = 0x23F + 0b1 + 1_000 + 3.5e-2 + 4j
class K_eta(Base, metaclass=Meta):
    attr = make(73)
    def m(self, x):
        return self.helper(x)
# comment café
