#!/usr/bin/env python3
"""Reads callgrind outputs and prints the functions of one binary that ran, by their own instruction count, the
most run first: the symbol ordering file scripts/layout.sh records for the linker (lld --symbol-ordering-file).

    layout-order.py BINARY_NAME CALLGRIND_OUT... > order.txt

Callgrind writes names once and then refers to them by number (`fn=(12) name`, later `fn=(12)`); a cost line after a
`calls=` line is the call's inclusive cost, not the caller's own, and is skipped. Addresses without a symbol
(`0x...`) are left out, as is anything run in another object (the C library, jemalloc, Vectorscan).
"""
import re
import sys
from collections import Counter

NAME = re.compile(r"^(c?)(ob|fn|fl|fi|fe)=\((\d+)\)(?: (.*))?$")


def own_costs(path, binary, costs):
    names = {"ob": {}, "fn": {}, "fl": {}}
    obj = func = None
    after_call = False
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = NAME.match(line)
            if m:
                callee, kind, ident, name = m.groups()
                table = "fl" if kind in ("fi", "fe", "fl") else kind
                if name:
                    names[table][ident] = name
                if not callee:
                    if kind == "ob":
                        obj = names["ob"].get(ident)
                    elif kind == "fn":
                        func = names["fn"].get(ident)
                continue
            if line.startswith("calls="):
                after_call = True
                continue
            if line[:1].isdigit() or line[:1] in "+-*":
                if after_call:
                    after_call = False
                    continue
                parts = line.split()
                if len(parts) >= 2 and obj and func and obj.rsplit("/", 1)[-1] == binary:
                    costs[func] += int(parts[1])


def main():
    if len(sys.argv) < 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help") else 2
    costs = Counter()
    for path in sys.argv[2:]:
        own_costs(path, sys.argv[1], costs)
    # Ties (and the order of equal counts) by name: the same runs give the same file.
    for name, _ in sorted(costs.items(), key=lambda kv: (-kv[1], kv[0])):
        if not name.startswith("0x"):
            print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
