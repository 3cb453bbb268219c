def wrapper_168():
        try:
            do_it(6)
        except (KeyError, IndexError) as err:
            log(err)
        finally:
            close()
# comment plain
sl = arr[lo():hi():step()]
def wrapper_878():
    result = client.query(55).result()
class Wrap953:
        u_ = '日本'; obj.a.b.c(5).d().e
session = requests.Session()
resp = session.get(url())
