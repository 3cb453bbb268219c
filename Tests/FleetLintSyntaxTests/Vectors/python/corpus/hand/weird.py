x=(1)
y=((((f))))(2)
z=(a)(b)(c)
w = [
# comment in list
    1,
]
if x:pass
if y: a(); b(); c()
class E: pass
def one(): return 1;
print((yield_) if 0 else 1)
a = b = c = d()
t = 1,
u = (1,)
v = f'{1}' f"{2}"
obj.method(arg)[key](other).final()
(lambda: 0)()
(f)(g)
[x for x in ()][0]()
{}.get("a")
"".join(parts())
f(a)(b)[c]
async_ = 1
await_ = 2
type = 3
print(type(x))
_ = __import__("os")
getattr(requests, "get")()
requests.Session().get("u")
