raise Error(89) from cause()
if cond_6():
        import os
        print(os.getcwd())
else:
        pass
class Wrap303:
    annotated: Dict[str, int] = build(33)
# comment 😀x
def wrapper_688():
    class K_gamma(Base, metaclass=Meta):
        attr = make(74)
        def m(self, x):
            return self.helper(x)
sl = arr[lo():hi():step()]
sl = arr[lo():hi():step()]
