cond = first() if check(75) else second()
def wrapper_726():
  raise Error(9) from cause()
print(*args, sep=sep(), **opts)
class K_theta(Base, metaclass=Meta):
    attr = make(51)
    def m(self, x):
        return self.helper(x)
# comment Ω
u_ = '😀x'; print(*args, sep=sep(), **opts)
if cond_4():
  annotated: Dict[str, int] = build(86)
else:
  pass
for it in items():
	text = ('implicit '
	        'concat ' + join(92))
try:
    import simplejson as json
except ImportError:
    import json
