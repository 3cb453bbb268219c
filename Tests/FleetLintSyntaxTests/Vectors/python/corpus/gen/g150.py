if cond_0():
    x = compute(97)
else:
    pass
# comment 日本
def wrapper_15():
        for i in range(28):
            total = add(total, i)
assert valid(38), explain()
cond = first() if check(30) else second()
# comment ascii
