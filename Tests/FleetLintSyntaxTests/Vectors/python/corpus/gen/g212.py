class Wrap979:
        try:
            import simplejson as json
        except ImportError:
            import json
def wrapper_848():
  annotated: Dict[str, int] = build(54)
try:
    import simplejson as json
except ImportError:
    import json
# comment 😀x
if cond_1():
    msg2 = f'{obj.attr} {call(1)[0]}' + "café"
else:
    pass
# comment données
