global_call = requests.get('http://beta')
if cond_1():
  s = """triple
  plain
  """ + after()
else:
  pass
def wrapper_255():
    global_call = requests.get('http://beta')
global_call = requests.get('http://beta')
mapping = {k: h(k) for k in keys()}
# comment ascii
while not ready():
    time.sleep(75)
msg2 = f'{obj.attr} {call(1)[0]}' + "😀x"
