def wrapper_622():
        s = """triple
        plain
        """ + after()
obj.a.b.c(46).d().e
@decorate(67)
def decorated_beta():
    pass
