if cond_5():
  session = requests.Session()
  resp = session.get(url())
else:
  pass
def wrapper_126():
  text = ('implicit '
          'concat ' + join(80))
total += delta(99)
annotated: Dict[str, int] = build(74)
for it in items():
        if (n := count()) > 16:
            report(n)
u_ = 'données'; msg = f"{name()} is {value!r:>{width()}}"
# comment 😀x
class Wrap84:
    data = {**base, 'k': v()}
