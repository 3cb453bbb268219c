name = get_name()
a = f"hello {name!r:>{width()}} and {call(1, 2)=}"
b = f'{x["key"]} {y[0]:.2f} {z.attr():{fmt()}}'
c = f"{'nested' + f'{inner()}'}"
d = f"""multi
{line_call()}
and {another(
    arg)}"""
e = rf"\d{pattern()}\{{literal}}"
f = f"{{escaped}} {real()}"
g = F"{a!s} {b!a} {c()!r}"
h = f"{lambda_holder(lambda x: x)}"
i = f"{ {'a': 1}['a'] }"
j = f"\N{BULLET} {after_named()}"
k = fR"{raw_f()}\n"
l = f"{x:{y()}.{z()}}"
m = f"{(yield_it)}"
n = f"{d['a']!r:^10}"
