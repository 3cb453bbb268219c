def wrapper_86():
    global_call = requests.get('http://delta')
# comment тест
with open('zeta') as fh:
    data = fh.read()
# comment ünï
class Wrap982:
	raise Error(66) from cause()
for i in range(25):
    total = add(total, i)
global_call = requests.get('http://zeta')
@decorate(93)
def decorated_beta():
    pass
