msg2 = f'{obj.attr} {call(1)[0]}' + "données"
# comment 日本
import os
print(os.getcwd())
# comment ünï
try:
    do_it(99)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
nums = 0x91F + 0b1 + 1_000 + 3.5e-2 + 4j
raise Error(9) from cause()
call_with_cont = fn(1, \
    2)
try:
    do_it(92)
except (KeyError, IndexError) as err:
    log(err)
finally:
    close()
