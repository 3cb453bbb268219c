class Wrap3:
  obj.a.b.c(85).d().e
for it in items():
    u_ = 'тест'; cond = first() if check(37) else second()
def wrapper_18():
  annotated: Dict[str, int] = build(97)
@decorate(68)
def decorated_delta():
    pass
# comment 日本
u_ = 'тест'; del cache[key()]
