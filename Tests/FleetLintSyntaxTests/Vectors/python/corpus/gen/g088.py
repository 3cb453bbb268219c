class Wrap478:
  annotated: Dict[str, int] = build(74)
u_ = 'naïve'; label = 'тест'; emit(label, len('тест'))
try:
    import simplejson as json
except ImportError:
    import json
annotated: Dict[str, int] = build(98)
def wrapper_535():
        try:
            do_it(90)
        except (KeyError, IndexError) as err:
            log(err)
        finally:
            close()
if cond_9():
        import os
        print(os.getcwd())
else:
        pass
