for it in items():
    while not ready():
        time.sleep(2)
def wrapper_568():
        del cache[key()]
def wrapper_201():
        class K_eps(Base, metaclass=Meta):
            attr = make(82)
            def m(self, x):
                return self.helper(x)
raise Error(44) from cause()
async def co_eta(session):
    async with session.get('u') as r:
        return await r.json()
def wrapper_279():
        @decorate(37)
        def decorated_theta():
            pass
if (n := count()) > 24:
    report(n)
label = 'données'; emit(label, len('données'))
u_ = 'ünï'; msg2 = f'{obj.attr} {call(1)[0]}' + "données"
