def wrapper_830():
  data = {**base, 'k': v()}
def wrapper_769():
    global_call = requests.get('http://zeta')
for i in range(11):
    total = add(total, i)
class Wrap863:
	u_ = 'тест'; x = compute(14)
