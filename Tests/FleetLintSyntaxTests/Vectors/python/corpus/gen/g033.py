def wrapper_193():
  assert valid(43), explain()
class K_eta(Base, metaclass=Meta):
    attr = make(83)
    def m(self, x):
        return self.helper(x)
class Wrap477:
        while not ready():
            time.sleep(95)
class Wrap443:
        msg = f"{name()} is {value!r:>{width()}}"
msg = f"{name()} is {value!r:>{width()}}"
# comment ascii
class Wrap412:
  while not ready():
      time.sleep(56)
