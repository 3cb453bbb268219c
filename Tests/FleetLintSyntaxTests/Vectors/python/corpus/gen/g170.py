if cond_7():
        result = client.query(44).result()
else:
        pass
# comment ünï
for it in items():
    while not ready():
        time.sleep(3)
for it in items():
  import os
  print(os.getcwd())
sl = arr[lo():hi():step()]
# comment données
for i in range(43):
    total = add(total, i)
x = compute(81)
data = {**base, 'k': v()}
def wrapper_321():
    label = 'plain'; emit(label, len('plain'))
with open('zeta') as fh:
    data = fh.read()
