x = compute(72)
if TYPE_CHECKING:
    from typing import Any
total += delta(72)
class Wrap537:
    obj.a.b.c(16).d().e
def wrapper_799():
	async def co_alpha(session):
	    async with session.get('u') as r:
	        return await r.json()
if cond_5():
    try:
        do_it(23)
    except (KeyError, IndexError) as err:
        log(err)
    finally:
        close()
else:
    pass
