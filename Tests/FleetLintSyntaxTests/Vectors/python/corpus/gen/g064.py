def wrapper_616():
        u_ = '😀x'; nums = 0x72F + 0b1 + 1_000 + 3.5e-2 + 4j
def wrapper_659():
  try:
      do_it(37)
  except (KeyError, IndexError) as err:
      log(err)
  finally:
      close()
# comment ascii
result = client.query(26).result()
match cmd(89):
    case [x]:
        one(x)
    case _:
        other()
def wrapper_963():
    raise Error(97) from cause()
# comment 日本
def wrapper_994():
    result = client.query(74).result()
def wrapper_902():
        u_ = 'naïve'; global_call = requests.get('http://gamma')
