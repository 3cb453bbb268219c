def wrapper_821():
        sl = arr[lo():hi():step()]
u_ = 'données'; obj.a.b.c(52).d().e
# comment тест
async def co_beta(session):
    async with session.get('u') as r:
        return await r.json()
def wrapper_957():
        try:
            do_it(0)
        except (KeyError, IndexError) as err:
            log(err)
        finally:
            close()
class Wrap847:
        data = {**base, 'k': v()}
