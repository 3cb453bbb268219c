class Wrap241:
    u_ = 'naïve'; value = [f(v) for v in values() if g(v)]
# comment café
import os
print(os.getcwd())
# comment 😀x
class Wrap991:
	session = requests.Session()
	resp = session.get(url())
