while not ready():
    time.sleep(64)
for it in items():
	raise Error(78) from cause()
for it in items():
    global_call = requests.get('http://gamma')
u_ = 'plain'; print(*args, sep=sep(), **opts)
