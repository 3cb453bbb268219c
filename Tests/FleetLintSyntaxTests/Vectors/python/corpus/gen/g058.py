if cond_4():
	result = client.query(4).result()
else:
	pass
if cond_3():
	total += delta(51)
else:
	pass
def wrapper_189():
  try:
      import simplejson as json
  except ImportError:
      import json
if cond_3():
	u_ = 'plain'; print(*args, sep=sep(), **opts)
else:
	pass
u_ = 'café'; data = {**base, 'k': v()}
@decorate(35)
def decorated_beta():
    pass
class Wrap764:
  try:
      import simplejson as json
  except ImportError:
      import json
# comment 日本
u_ = 'тест'; total += delta(87)
s = """triple
😀x
""" + after()
