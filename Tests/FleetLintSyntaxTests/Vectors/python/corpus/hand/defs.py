@decorator
def simple(a, b=1, *args, c, d=2, **kw) -> int:
    return a + b

@dec.attr(1, key="v")
@another
async def coro(x: int, /, y: "str" = "s", *, z: list[int] = []) -> None:
    await x.call()
    async for i in aiter():
        print(i)
    async with open_it() as f, other() as (g, h):
        await f.read()

class Base(object, metaclass=Meta):
    """doc"""
    attr: int = 3
    def method(self):
        return super().method()
    @staticmethod
    def sm(*, k): return k
    @property
    def p(self): ...

class Child(Base, mixins.Mixin, **extra):
    class Inner:
        def deep(self): return lambda q=f(): q(1)
lam = lambda x, *y, z=3, **w: x(y, z)(w)
