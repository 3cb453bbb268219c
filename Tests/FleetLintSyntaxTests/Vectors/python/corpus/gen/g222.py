def wrapper_469():
  call_with_cont = fn(1, \
      2)
def wrapper_698():
	match cmd(16):
	    case [x]:
	        one(x)
	    case _:
	        other()
# comment plain
class K_beta(Base, metaclass=Meta):
    attr = make(4)
    def m(self, x):
        return self.helper(x)
import os
print(os.getcwd())
# comment données
class Wrap324:
        try:
            import simplejson as json
        except ImportError:
            import json
# comment ascii
