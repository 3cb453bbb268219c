u_ = '😀x'; lam = lambda x, y=50: x(y)
# comment données
def wrapper_83():
        u_ = '日本'; nums = 0x11F + 0b1 + 1_000 + 3.5e-2 + 4j
def wrapper_988():
  u_ = 'plain'; del cache[key()]
class Wrap260:
        annotated: Dict[str, int] = build(44)
if (n := count()) > 9:
    report(n)
# comment ünï
with open('beta') as fh:
    data = fh.read()
