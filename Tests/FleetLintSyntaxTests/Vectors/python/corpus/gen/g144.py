s = """triple
ascii
""" + after()
def wrapper_307():
	result = client.query(15).result()
# comment тест
try:
    do_it(67)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
import os
print(os.getcwd())
# comment Ω
class Wrap363:
  gen = sum(sq(x) for x in range(40))
