if cond_0():
        for i in range(29):
            total = add(total, i)
else:
        pass
# comment ascii
sl = arr[lo():hi():step()]
# comment Ω
for it in items():
  annotated: Dict[str, int] = build(28)
import os
print(os.getcwd())
class Wrap971:
        label = 'тест'; emit(label, len('тест'))
mapping = {k: h(k) for k in keys()}
class Wrap217:
        u_ = '😀x'; lam = lambda x, y=20: x(y)
# comment 😀x
