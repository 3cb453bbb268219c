class Wrap426:
        annotated: Dict[str, int] = build(24)
if cond_9():
    import os
    print(os.getcwd())
else:
    pass
result = client.query(62).result()
cond = first() if check(87) else second()
cond = first() if check(92) else second()
