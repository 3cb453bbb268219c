#!/usr/bin/env python3
"""Generate Sources/FleetLintRules/Resources/stdlib.tsv (top-level stdlib module names, Python 3.8-3.13).

Run by hand (not by CI) with CPython 3.11 from the repository root:

    python3.11 scripts/data/gen_stdlib.py            # writes the TSV
    python3.11 scripts/data/gen_stdlib.py --verify   # also cross-checks other installed interpreters

Method: the baseline is `sys.stdlib_module_names` of CPython 3.11 (generated with 3.11.7), which
lists every top-level standard-library module name including private ones (`_thread`) and
`__future__`, excluding test-only modules (`_testcapi`, `xx*`). Names that appeared or disappeared
between 3.8 and 3.13 are taken from the documented table below (What's New in Python 3.9 ... 3.13,
PEP 594 "Removing dead batteries", PEP 632 "Deprecate distutils"). `--verify` compares the result with
`sys.stdlib_module_names` of 3.10/3.12/3.13 and a module listing of 3.8/3.9 (found via pyenv or PATH);
the table was checked that way against 3.8.18, 3.9.18, 3.10.13, 3.12.1 and 3.13.0.

Output columns: name<TAB>first<TAB>last, where first is the first version in 3.8..3.13 that has it
and last is "-" if 3.13 still has it.
"""
import os
import shutil
import subprocess
import sys

VERSIONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]

# Names present in 3.11 but added after 3.8: name -> first version.
ADDED = {
    # 3.9 (What's New 3.9: zoneinfo PEP 615, graphlib)
    "zoneinfo": "3.9", "_zoneinfo": "3.9", "graphlib": "3.9",
    "_aix_support": "3.9", "_bootsubprocess": "3.9",
    # 3.11 (PEP 680 tomllib)
    "tomllib": "3.11", "_tokenize": "3.11", "_typing": "3.11",
}
# Names present in 3.11 but gone later: name -> last version that has it.
REMOVED = {
    # 3.12: PEP 632 distutils, PEP 594 early removals (asynchat, asyncore, smtpd), imp
    "distutils": "3.11", "imp": "3.11", "asynchat": "3.11", "asyncore": "3.11", "smtpd": "3.11",
    "_bootsubprocess": "3.11", "_sha256": "3.11", "_sha512": "3.11",
    # 3.13: PEP 594 dead batteries (+ lib2to3)
    "aifc": "3.12", "audioop": "3.12", "cgi": "3.12", "cgitb": "3.12", "chunk": "3.12",
    "crypt": "3.12", "_crypt": "3.12", "imghdr": "3.12", "lib2to3": "3.12", "mailcap": "3.12",
    "msilib": "3.12", "_msi": "3.12", "nis": "3.12", "nntplib": "3.12", "ossaudiodev": "3.12",
    "pipes": "3.12", "sndhdr": "3.12", "spwd": "3.12", "sunau": "3.12", "telnetlib": "3.12",
    "uu": "3.12", "xdrlib": "3.12",
}
# Names not in 3.11 at all: name -> (first, last).
EXTRA = {
    # removed in 3.9 (dummy_threading) / 3.10 (parser, symbol, formatter: PEP 594 precursors)
    "dummy_threading": ("3.8", "3.8"), "_dummy_thread": ("3.8", "3.8"),
    "parser": ("3.8", "3.9"), "symbol": ("3.8", "3.9"), "formatter": ("3.8", "3.9"),
    "_peg_parser": ("3.9", "3.9"), "_bootlocale": ("3.8", "3.9"),
    # removed in 3.11
    "binhex": ("3.8", "3.10"),
    # added in 3.12
    "_pydatetime": ("3.12", "-"), "_pylong": ("3.12", "-"), "_sha2": ("3.12", "-"),
    # added in 3.13
    "_android_support": ("3.13", "-"), "_colorize": ("3.13", "-"), "_interpchannels": ("3.13", "-"),
    "_interpqueues": ("3.13", "-"), "_interpreters": ("3.13", "-"), "_ios_support": ("3.13", "-"),
    "_opcode_metadata": ("3.13", "-"), "_pyrepl": ("3.13", "-"), "_suggestions": ("3.13", "-"),
    "_sysconfig": ("3.13", "-"), "_wmi": ("3.13", "-"),
}


def table():
    if sys.version_info[:2] != (3, 11):
        sys.exit("run with CPython 3.11 (baseline is its sys.stdlib_module_names)")
    rows = {}
    for name in sys.stdlib_module_names:
        rows[name] = (ADDED.get(name, "3.8"), REMOVED.get(name, "-"))
    for name, span in EXTRA.items():
        assert name not in rows, name
        rows[name] = span
    return rows


def has(span, version):
    key = lambda v: tuple(int(x) for x in v.split("."))
    first, last = span
    return key(first) <= key(version) and (last == "-" or key(version) <= key(last))


LISTING = r"""
import sys, os, pkgutil
if hasattr(sys, "stdlib_module_names"):
    names = set(sys.stdlib_module_names)
else:
    d = os.path.dirname(os.__file__)
    names = set(sys.builtin_module_names)
    names.update(m.name for m in pkgutil.iter_modules([d, os.path.join(d, "lib-dynload")]))
print("\n".join(sorted(names)))
"""


def verify(rows):
    ok = True
    for v in VERSIONS:
        exe = shutil.which("python" + v)
        if exe is None:
            print(f"skip {v}: no python{v} on PATH", file=sys.stderr)
            continue
        actual = set(subprocess.check_output([exe, "-c", LISTING], text=True).split())
        expected = {n for n, span in rows.items() if has(span, v)}
        # 3.8/3.9 listings include test/private build modules and lack Windows-only names.
        missing = sorted(n for n in expected - actual
                         if n not in {"msvcrt", "nt", "winreg", "winsound", "_winapi", "_overlapped",
                                      "msilib", "_msi", "_scproxy", "_gdbm", "_dbm", "_frozen_importlib",
                                      "_frozen_importlib_external"})
        extra = sorted(n for n in actual - expected
                       if not (n.startswith(("_test", "xx", "_xx", "_sysconfigdata", "_ctypes_test"))
                               or n in {"test", "site-packages", "__phello__", "idlelib"} and n not in rows))
        if missing or extra:
            ok = False
            print(f"{v}: missing {missing} unexpected {extra}", file=sys.stderr)
        else:
            print(f"{v}: ok ({len(expected)} names)", file=sys.stderr)
    return ok


def main():
    rows = table()
    out = os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "FleetLintRules", "Resources", "stdlib.tsv")
    with open(out, "w") as f:
        f.write("# Standard-library top-level module names, CPython 3.8-3.13: name<TAB>first<TAB>last ('-' = still present in 3.13).\n")
        f.write("# Generated by scripts/data/gen_stdlib.py from sys.stdlib_module_names of CPython 3.11.7 plus the\n")
        f.write("# documented additions/removals (What's New 3.9-3.13, PEP 594, PEP 632). Do not edit by hand.\n")
        for name in sorted(rows):
            first, last = rows[name]
            f.write(f"{name}\t{first}\t{last}\n")
    print(f"wrote {len(rows)} names", file=sys.stderr)
    if "--verify" in sys.argv[1:]:
        sys.exit(0 if verify(rows) else 1)


if __name__ == "__main__":
    main()
