if cond_5():
  u_ = 'Ω'; value = [f(v) for v in values() if g(v)]
else:
  pass
for it in items():
    raise Error(72) from cause()
msg2 = f'{obj.attr} {call(1)[0]}' + "plain"
