class Wrap365:
    raise Error(14) from cause()
@decorate(2)
def decorated_eta():
    pass
import os
print(os.getcwd())
text = ('implicit '
        'concat ' + join(12))
