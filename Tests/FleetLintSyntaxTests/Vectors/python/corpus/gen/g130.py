total += delta(99)
data = {**base, 'k': v()}
while not ready():
    time.sleep(2)
