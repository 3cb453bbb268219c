if cond_0():
  result = client.query(29).result()
else:
  pass
# comment 日本
def wrapper_584():
	global_call = requests.get('http://gamma')
# comment ünï
def wrapper_796():
    while not ready():
        time.sleep(18)
def wrapper_55():
    u_ = 'café'; gen = sum(sq(x) for x in range(26))
# comment ascii
