class Wrap180:
        u_ = 'ascii'; assert valid(76), explain()
# comment café
if cond_1():
        msg2 = f'{obj.attr} {call(1)[0]}' + "ünï"
else:
        pass
s = """triple
plain
""" + after()
msg2 = f'{obj.attr} {call(1)[0]}' + "😀x"
u_ = 'naïve'; global_call = requests.get('http://gamma')
