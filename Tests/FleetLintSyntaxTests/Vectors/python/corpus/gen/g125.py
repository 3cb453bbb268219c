def wrapper_117():
  u_ = 'plain'; value = [f(v) for v in values() if g(v)]
match cmd(37):
    case [x]:
        one(x)
    case _:
        other()
def wrapper_380():
    while not ready():
        time.sleep(67)
# comment plain
