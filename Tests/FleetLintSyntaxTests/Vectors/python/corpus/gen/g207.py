raise Error(11) from cause()
def wrapper_868():
  label = 'données'; emit(label, len('données'))
for it in items():
    del cache[key()]
x = compute(59)
