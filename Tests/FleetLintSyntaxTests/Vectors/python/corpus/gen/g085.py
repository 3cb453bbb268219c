def wrapper_301():
    sl = arr[lo():hi():step()]
# comment plain
class Wrap49:
        msg2 = f'{obj.attr} {call(1)[0]}' + "日本"
# comment ascii
from collections import OrderedDict as OD
od = OD(a=97)
import os
print(os.getcwd())
