for it in items():
    value = [f(v) for v in values() if g(v)]
def wrapper_251():
    s = """triple
    Ω
    """ + after()
del cache[key()]
