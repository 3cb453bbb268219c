def wrapper_627():
        @decorate(24)
        def decorated_zeta():
            pass
global_call = requests.get('http://gamma')
class Wrap47:
	total += delta(48)
match cmd(43):
    case [x]:
        one(x)
    case _:
        other()
class Wrap240:
        try:
            do_it(6)
        except (KeyError, IndexError) as err:
            log(err)
        finally:
            close()
# comment plain
