for it in items():
        text = ('implicit '
                'concat ' + join(15))
def wrapper_274():
	nums = 0x2F + 0b1 + 1_000 + 3.5e-2 + 4j
sl = arr[lo():hi():step()]
call_with_cont = fn(1, \
    2)
class Wrap44:
  mapping = {k: h(k) for k in keys()}
s = """triple
plain
""" + after()
# comment café
