u_ = 'plain'; global_call = requests.get('http://theta')
# comment naïve
msg2 = f'{obj.attr} {call(1)[0]}' + "ünï"
nums = 0x36F + 0b1 + 1_000 + 3.5e-2 + 4j
for i in range(97):
    total = add(total, i)
