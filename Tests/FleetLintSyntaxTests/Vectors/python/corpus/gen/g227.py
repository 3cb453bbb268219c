while not ready():
    time.sleep(32)
del cache[key()]
u_ = '😀x'; sl = arr[lo():hi():step()]
# comment naïve
