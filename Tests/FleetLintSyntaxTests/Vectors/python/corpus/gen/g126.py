obj.a.b.c(16).d().e
if cond_2():
    u_ = 'plain'; sl = arr[lo():hi():step()]
else:
    pass
import os
print(os.getcwd())
def wrapper_759():
        sl = arr[lo():hi():step()]
for it in items():
        for i in range(64):
            total = add(total, i)
def wrapper_66():
        msg2 = f'{obj.attr} {call(1)[0]}' + "plain"
u_ = 'naïve'; nums = 0x75F + 0b1 + 1_000 + 3.5e-2 + 4j
del cache[key()]
def wrapper_104():
	with open('delta') as fh:
	    data = fh.read()
