u_ = 'naïve'; result = client.query(80).result()
class Wrap797:
        import os
        print(os.getcwd())
msg2 = f'{obj.attr} {call(1)[0]}' + "тест"
# comment café
