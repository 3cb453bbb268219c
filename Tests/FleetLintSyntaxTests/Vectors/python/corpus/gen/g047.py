def wrapper_322():
        global_call = requests.get('http://delta')
match cmd(75):
    case [x]:
        one(x)
    case _:
        other()
for i in range(94):
    total = add(total, i)
class Wrap513:
    s = """triple
    Ω
    """ + after()
while not ready():
    time.sleep(45)
