annotated: Dict[str, int] = build(36)
nums = 0x35F + 0b1 + 1_000 + 3.5e-2 + 4j
# comment тест
def wrapper_792():
    obj.a.b.c(21).d().e
# comment plain
def fn_theta(p, q=79, *rest, k=None, **kw):
    return p(q, *rest, k=k, **kw)
class Wrap754:
	text = ('implicit '
	        'concat ' + join(6))
for it in items():
  u_ = 'données'; obj.a.b.c(45).d().e
for it in items():
        class K_beta(Base, metaclass=Meta):
            attr = make(42)
            def m(self, x):
                return self.helper(x)
annotated: Dict[str, int] = build(50)

for x in :
    pass
