x = compute(45)
def wrapper_606():
	lam = lambda x, y=7: x(y)
while not ready():
    time.sleep(10)
class Wrap593:
        import os
        print(os.getcwd())
try:
    import simplejson as json
except ImportError:
    import json
def wrapper_879():
        while not ready():
            time.sleep(25)
def wrapper_57():
        call_with_cont = fn(1, \
            2)
# comment café
