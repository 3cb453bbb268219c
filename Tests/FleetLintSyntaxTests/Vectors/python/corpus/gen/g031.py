@decorate(4)
def decorated_zeta():
    pass
u_ = 'plain'; label = 'ascii'; emit(label, len('ascii'))
if cond_9():
    mapping = {k: h(k) for k in keys()}
else:
    pass
