label = 'тест'; emit(label, len('тест'))
class Wrap664:
  import os
  print(os.getcwd())
if cond_4():
    with open('alpha') as fh:
        data = fh.read()
else:
    pass
