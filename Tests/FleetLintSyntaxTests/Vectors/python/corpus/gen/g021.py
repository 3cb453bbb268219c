class Wrap870:
    total += delta(20)
class Wrap208:
    @decorate(56)
    def decorated_eps():
        pass
class Wrap430:
	del cache[key()]
@decorate(48)
def decorated_theta():
    pass
call_with_cont = fn(1, \
    2)
# comment naïve
u_ = '日本'; del cache[key()]
def wrapper_180():
    obj.a.b.c(98).d().e
# comment 日本
result = client.query(26).result()
