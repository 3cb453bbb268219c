#!/usr/bin/env python3
"""Generate differential vectors for fleetlint's Python front end from CPython's `ast`.

Run by hand (not by CI), from the repository root:

    python3 scripts/vectors/gen_python_vectors.py            # regenerate synthetic corpus + expected.json
    python3 scripts/vectors/gen_python_vectors.py --no-corpus # only re-record expected.json

Reference: CPython 3.11.7 `ast` (ast.parse, ast.get_source_segment). 3.12+ syntax (PEP 695/701) is
not in the corpus because 3.11 cannot parse it; those cases are Swift parser unit tests instead.

Corpus: Tests/FleetLintSyntaxTests/Vectors/python/corpus/
  hand/      hand-written grammar coverage files
  gen/       deterministic synthetic files (seeded random combinations of snippets)
  invalid/   deterministic mutations of valid files that CPython rejects
Output: Tests/FleetLintSyntaxTests/Vectors/python/expected.json
Positions: 1-based lines, 1-based columns counted in Unicode code points (ast gives UTF-8 byte offsets).
"""
import ast
import json
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "FleetLintSyntaxTests", "Vectors", "python")
CORPUS = os.path.join(ROOT, "corpus")

SNIPPETS = [
    "x = compute({a})",
    "result = client.query({a}).result()",
    "import os\nprint(os.getcwd())",
    "from collections import OrderedDict as OD\nod = OD(a={a})",
    "for i in range({a}):\n    total = add(total, i)",
    "while not ready():\n    time.sleep({a})",
    "try:\n    do_it({a})\nexcept (KeyError, IndexError) as err:\n    log(err)\nfinally:\n    close()",
    "with open('{name}') as fh:\n    data = fh.read()",
    "def fn_{name}(p, q={a}, *rest, k=None, **kw):\n    return p(q, *rest, k=k, **kw)",
    "async def co_{name}(session):\n    async with session.get('u') as r:\n        return await r.json()",
    "class K_{name}(Base, metaclass=Meta):\n    attr = make({a})\n    def m(self, x):\n        return self.helper(x)",
    "@decorate({a})\ndef decorated_{name}():\n    pass",
    "value = [f(v) for v in values() if g(v)]",
    "mapping = {{k: h(k) for k in keys()}}",
    "gen = sum(sq(x) for x in range({a}))",
    "msg = f\"{{name()}} is {{value!r:>{{width()}}}}\"",
    "msg2 = f'{{obj.attr}} {{call(1)[0]}}' + \"{text}\"",
    "label = '{text}'; emit(label, len('{text}'))",
    "cond = first() if check({a}) else second()",
    "if (n := count()) > {a}:\n    report(n)",
    "lam = lambda x, y={a}: x(y)",
    "obj.a.b.c({a}).d().e",
    "nums = 0x{a}F + 0b1 + 1_000 + 3.5e-2 + 4j",
    "del cache[key()]",
    "assert valid({a}), explain()",
    "raise Error({a}) from cause()",
    "total += delta({a})",
    "first, *middle, last = split({a})",
    "annotated: Dict[str, int] = build({a})",
    "text = ('implicit '\n        'concat ' + join({a}))",
    "call_with_cont = fn(1, \\\n    2)",
    "match cmd({a}):\n    case [x]:\n        one(x)\n    case _:\n        other()",
    "s = \"\"\"triple\n{text}\n\"\"\" + after()",
    "print(*args, sep=sep(), **opts)",
    "data = {{**base, 'k': v()}}",
    "sl = arr[lo():hi():step()]",
    "if TYPE_CHECKING:\n    from typing import Any",
    "try:\n    import simplejson as json\nexcept ImportError:\n    import json",
    "global_call = requests.get('http://{name}')",
    "session = requests.Session()\nresp = session.get(url())",
]

UNICODE_WORDS = ["café", "naïve", "日本", "😀x", "Ω", "ünï", "plain", "ascii", "données", "тест"]
ASCII_NAMES = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta"]


def indent(text, prefix):
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


def make_snippet(rng):
    s = rng.choice(SNIPPETS)
    text = rng.choice(UNICODE_WORDS)
    s = s.format(a=rng.randint(0, 99), name=rng.choice(ASCII_NAMES), text=text)
    # optionally prefix with a unicode string statement on the same line so columns shift
    if "\n" not in s and rng.random() < 0.3:
        s = "u_ = '%s'; " % rng.choice(UNICODE_WORDS) + s
    return s


def make_file(rng):
    parts = []
    for _ in range(rng.randint(3, 9)):
        snip = make_snippet(rng)
        wrap = rng.random()
        unit = "\t" if rng.random() < 0.2 else " " * rng.choice([2, 4, 8])
        if wrap < 0.2:
            parts.append("def wrapper_%d():\n%s" % (rng.randint(0, 999), indent(snip, unit)))
        elif wrap < 0.3:
            parts.append("class Wrap%d:\n%s" % (rng.randint(0, 999), indent(snip, unit)))
        elif wrap < 0.4:
            parts.append("if cond_%d():\n%s\nelse:\n%spass" % (rng.randint(0, 9), indent(snip, unit), unit))
        elif wrap < 0.45:
            parts.append("for it in items():\n%s" % indent(snip, unit))
        else:
            parts.append(snip)
        if rng.random() < 0.2:
            parts.append("# comment %s" % rng.choice(UNICODE_WORDS))
    return "\n".join(parts) + "\n"


MUTATIONS = [
    lambda s, r: s.replace(")", "", 1),
    lambda s, r: s.replace(":\n", "\n", 1),
    lambda s, r: s.replace("(", "((", 1),
    lambda s, r: s.replace("= ", "= = ", 1),
    lambda s, r: s + "\ndef broken(:\n    pass\n",
    lambda s, r: s.replace("\n", "\n   ", 1),
    lambda s, r: s.replace("'", "", 1),
    lambda s, r: s + "\nx = [1, 2\n",
    lambda s, r: s.replace("return", "return return", 1),
    lambda s, r: s + "\nclass :\n    pass\n",
    lambda s, r: s + "\nf() = 3\n",
    lambda s, r: s + "\nelse:\n    x()\n",
    lambda s, r: s + "\nfor x in :\n    pass\n",
    lambda s, r: s + "\nimport\n",
    lambda s, r: s + "\nprint 'py2'\n",
    lambda s, r: s + "\nx = )\n",
    lambda s, r: s + "\ntry:\n    a()\nb()\n",
    lambda s, r: s + "\nlambda x: (yield)\nwhile True\n    pass\n",
    lambda s, r: s + "\nif x:\npass\n",
    lambda s, r: s + "\nf(**kw, *a)\nx = 1 +\n",
]


def parses(src):
    try:
        ast.parse(src)
        return True
    except SyntaxError:
        return False
    except ValueError:
        return False


def make_corpus():
    rng = random.Random(20261124)
    gen = os.path.join(CORPUS, "gen")
    inv = os.path.join(CORPUS, "invalid")
    for d in (gen, inv):
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            os.remove(os.path.join(d, f))
    made = []
    n = 0
    while len(made) < 260:
        src = make_file(rng)
        n += 1
        if not parses(src.encode()):
            continue
        path = os.path.join(gen, "g%03d.py" % len(made))
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(src)
        made.append(src)
    k = 0
    attempts = 0
    while k < 32 and attempts < 5000:
        attempts += 1
        src = rng.choice(made)
        m = MUTATIONS[attempts % len(MUTATIONS)]
        bad = m(src, rng)
        if bad == src or parses(bad.encode()):
            continue
        with open(os.path.join(inv, "e%02d.py" % k), "w", encoding="utf-8", newline="") as fh:
            fh.write(bad)
        k += 1


def cp_col(lines, lineno, byte_col):
    line = lines[lineno - 1] if lineno - 1 < len(lines) else b""
    return len(line[:byte_col].decode("utf-8", errors="replace")) + 1


def record(path):
    raw = open(path, "rb").read()
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    lines = body.splitlines(keepends=True)
    rel = os.path.relpath(path, CORPUS)
    try:
        tree = ast.parse(raw)
    except SyntaxError as e:
        return {"file": rel, "valid": False, "errorLine": e.lineno}
    text = body.decode("utf-8")
    str_lines = ast._splitlines_no_ff(text)  # what ast.get_source_segment does, computed once

    def segment(node):
        # Same result as ast.get_source_segment(text, node), without re-splitting the file per call.
        if node.end_lineno is None:
            return ""
        lo, hi = node.lineno - 1, node.end_lineno - 1
        if lo == hi:
            return str_lines[lo].encode()[node.col_offset:node.end_col_offset].decode()
        first = str_lines[lo].encode()[node.col_offset:].decode()
        last = str_lines[hi].encode()[:node.end_col_offset].decode()
        return "".join([first] + str_lines[lo + 1:hi] + [last])

    imports, calls, funcs, classes = [], [], [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.append({"line": node.lineno, "col": cp_col(lines, node.lineno, node.col_offset), "module": "", "level": 0,
                            "names": [[a.name, a.asname or ""] for a in node.names]})
        elif isinstance(node, ast.ImportFrom):
            imports.append({"line": node.lineno, "col": cp_col(lines, node.lineno, node.col_offset), "module": node.module or "",
                            "level": node.level, "names": [[a.name, a.asname or ""] for a in node.names]})
        elif isinstance(node, ast.Call):
            calls.append({"text": segment(node.func),
                          "line": node.lineno, "col": cp_col(lines, node.lineno, node.col_offset),
                          "endLine": node.end_lineno, "endCol": cp_col(lines, node.end_lineno, node.end_col_offset)})
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            funcs.append({"name": node.name, "line": node.lineno, "col": cp_col(lines, node.lineno, node.col_offset)})
        elif isinstance(node, ast.ClassDef):
            classes.append({"name": node.name, "line": node.lineno, "col": cp_col(lines, node.lineno, node.col_offset)})
    key = lambda d: (d["line"], d["col"], d.get("endLine", 0), d.get("endCol", 0))
    return {"file": rel, "valid": True, "imports": sorted(imports, key=key), "calls": sorted(calls, key=key),
            "functions": sorted(funcs, key=key), "classes": sorted(classes, key=key)}


def main():
    if "--external" in sys.argv:
        # Record an external tree (e.g. a monorepo) for the benchmark driver's differential mode:
        #   gen_python_vectors.py --external <dir> <out.json>   (not committed)
        global CORPUS
        i = sys.argv.index("--external")
        CORPUS, out_path = sys.argv[i + 1], sys.argv[i + 2]
        files = sorted(os.path.join(d, f) for d, _, fs in os.walk(CORPUS) for f in fs if f.endswith(".py"))
        recs = []
        for p in files:
            try:
                recs.append(record(p))
            except (UnicodeDecodeError, ValueError):
                pass
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump({"reference": "CPython %s ast" % sys.version.split()[0], "files": recs}, fh, ensure_ascii=False)
        return
    if "--no-corpus" not in sys.argv:
        make_corpus()
    files = []
    for d, _, fs in os.walk(CORPUS):
        for f in fs:
            if f.endswith(".py"):
                files.append(os.path.join(d, f))
    files.sort()
    out = {"reference": "CPython %s ast" % sys.version.split()[0], "files": [record(p) for p in files]}
    with open(os.path.join(ROOT, "expected.json"), "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=0, sort_keys=True)
        fh.write("\n")
    valid = sum(1 for f in out["files"] if f["valid"])
    print("files: %d valid: %d invalid: %d" % (len(files), valid, len(files) - valid))


if __name__ == "__main__":
    main()
