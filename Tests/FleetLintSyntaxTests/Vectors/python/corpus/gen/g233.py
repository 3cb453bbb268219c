def wrapper_734():
        u_ = 'naïve'; data = {**base, 'k': v()}
def wrapper_486():
	while not ready():
	    time.sleep(67)
u_ = '日本'; mapping = {k: h(k) for k in keys()}
