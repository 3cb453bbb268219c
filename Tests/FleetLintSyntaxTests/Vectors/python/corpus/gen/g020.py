if cond_8():
    global_call = requests.get('http://alpha')
else:
    pass
def wrapper_71():
    label = 'тест'; emit(label, len('тест'))
mapping = {k: h(k) for k in keys()}
sl = arr[lo():hi():step()]
class Wrap707:
    u_ = 'café'; sl = arr[lo():hi():step()]
s = """triple
ascii
""" + after()
result = client.query(64).result()
if cond_7():
    obj.a.b.c(24).d().e
else:
    pass
if cond_2():
    sl = arr[lo():hi():step()]
else:
    pass
