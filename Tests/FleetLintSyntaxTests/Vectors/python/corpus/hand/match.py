match command.split():
    case [action]:
        run(action)
    case [action, obj] if valid(obj):
        run2(action, obj)
    case Point(x=0, y=0) | {"k": [1, 2, *rest]}:
        origin()
    case _:
        fallback()
match = 1
match(x)
match.attr = 2
case = match + 1
