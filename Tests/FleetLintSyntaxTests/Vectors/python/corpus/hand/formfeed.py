x = 1

def after_formfeed():
    return call()
y = g()
