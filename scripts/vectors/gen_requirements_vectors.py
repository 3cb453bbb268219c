"""Generate differential test vectors for fleetlint's PEP 440 / PEP 508 / requirements-file parsers.

Run by hand (not by CI), from the repository root:

    python3 -m venv /tmp/venv-ref
    /tmp/venv-ref/bin/pip install 'packaging==26.3' 'pip==26.3'
    /tmp/venv-ref/bin/python scripts/vectors/gen_requirements_vectors.py

Reference versions used for the committed vectors: packaging 26.3, pip 26.3, CPython 3.11.
Writes JSON files into Tests/FleetLintSyntaxTests/Vectors/requirements/ and reads the tricky
requirements files under .../requirements/files/ (pip's reading of each goes to pip_files.json).

Satisfiability vectors are an approximation: they are computed by brute force over a dense grid of
candidate versions (not by packaging, which has no such API for several sets at once).
"""

from __future__ import annotations

import itertools
import json
import optparse
import os
import random
import sys
import tempfile
from pathlib import Path

import packaging
from packaging.markers import Marker, InvalidMarker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "FleetLintSyntaxTests" / "Vectors" / "requirements"
rng = random.Random(440)


def dump(name, data):
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    print(name, len(data) if isinstance(data, list) else "")


# ---------------------------------------------------------------- versions
VERSION_INPUTS = """
1 1.0 1.0.0 01.02.003 1.2.3.4.5 0 0.0 v1.0 V1.0 1!2.0 0!1.0 10!1.0a1
1.0a1 1.0a 1.0alpha1 1.0.alpha.1 1.0-alpha-1 1.0_a_1 1.0b2 1.0beta 1.0c1 1.0rc1 1.0RC1 1.0pre1 1.0preview2 1.0-pre
1.0.post1 1.0post1 1.0-post1 1.0_post_1 1.0post 1.0-1 1.0-0 1.0r1 1.0rev2 1.0.r 1.0-r-3 1.0.POST1
1.0.dev1 1.0dev 1.0-dev-3 1.0_dev_4 1.0.DEV5 1.0a1.dev2 1.0.post1.dev3 1.0a1.post2.dev3 1.0rc1-1 1.0rc1.post
1.0+abc 1.0+ABC.1 1.0+abc-def_1 1.0+1.2.3 1.0+a..b 1.0+ 1.0+abc. 1.0+0001 1.0+abc.01 1.0a1+local
 1.0  \t1.0\n 1.0. .1 1..0 1.0.* 1.0a1.* abc 1.0-dev- 1.0a- 1.0.post- 1.0-- v 1.0b 1.0-a1-1 1.0a1-1
1.0.0.0.0 2.0.0rc1 1!1.0.dev0 1.0-1-1 1.0.post1.post2 1.0a1b1 1.0dev1dev2 1.0+local+other
1.0_1 1.0.1a 2024.1.15 0.0.0.1 1.0rc 1.0c 1.0.c.1 1.0-preview 1!0 1.0a1.dev 1.0.dev
""".split()
VERSION_INPUTS += [" 1.0 ", "1.0 ", "\t1.0", "1.0\n", "1.0 a1", "", " ", "1.0\u00a0", "\u20281.0"]


def random_version():
    parts = [str(rng.randint(0, 3)) for _ in range(rng.randint(1, 4))]
    s = ".".join(parts)
    if rng.random() < 0.1:
        s = f"{rng.randint(0, 2)}!" + s
    r = rng.random()
    if r < 0.3:
        s += rng.choice(["a", "b", "rc", "c", "alpha", "beta", "pre", "preview", ".a", "-b", "_rc"]) + rng.choice(["", "0", "1", "2", ".1", "-2"])
    if rng.random() < 0.25:
        s += rng.choice([".post", "post", "-", ".r", "rev", "-post"]) + rng.choice(["", "0", "1", "2"])
    if rng.random() < 0.25:
        s += rng.choice([".dev", "dev", "-dev", "_dev"]) + rng.choice(["", "0", "1"])
    if rng.random() < 0.15:
        s += "+" + rng.choice(["abc", "1", "ubuntu.1", "a.2", "2.a", "x-y_z", "Local"])
    return s


def version_record(text):
    try:
        v = Version(text)
    except InvalidVersion:
        return {"input": text, "valid": False}
    return {
        "input": text, "valid": True, "normalized": str(v), "public": v.public, "base": v.base_version,
        "isPrerelease": v.is_prerelease, "isDevrelease": v.is_devrelease, "isPostrelease": v.is_postrelease,
        "epoch": v.epoch, "release": list(v.release), "local": v.local, "major": v.major,
    }


def gen_versions():
    inputs = list(dict.fromkeys(VERSION_INPUTS + [random_version() for _ in range(350)]))
    dump("versions.json", [version_record(t) for t in inputs])
    valid = [t for t in inputs if version_record(t)["valid"]]
    pairs = []
    for _ in range(500):
        a, b = rng.choice(valid), rng.choice(valid)
        va, vb = Version(a), Version(b)
        pairs.append({"a": a, "b": b, "cmp": (va > vb) - (va < vb)})
    # neighbours in the ordering
    ordered = sorted(valid, key=Version)
    for a, b in zip(ordered, ordered[1:]):
        va, vb = Version(a), Version(b)
        pairs.append({"a": a, "b": b, "cmp": (va > vb) - (va < vb)})
    dump("version_compare.json", pairs)
    return valid


# ---------------------------------------------------------------- specifiers
SPEC_VERSIONS = ["1", "1.0", "1.0.0", "1.1", "1.2", "1.2.3", "2.0", "2.0.1", "1.0a1", "1.0b2", "1.0rc1",
                 "1.0.dev0", "1.0.dev1", "1.0.post1", "1.0.post1.dev0", "1.0+local", "1.0.post1+l", "0.9",
                 "1!1.0", "2.3", "2.3.3", "2.3.*", "2.*", "1.0.*", "3.0", "1.1a1", "1.0a1.post1"]
OPS = ["~=", "==", "!=", "<=", ">=", "<", ">", "==="]
CANDIDATES = ["0.9", "1", "1.0", "1.0.0", "1.0.0.0", "1.0+local", "1.0+abc.1", "1.0.0+x", "1.0a1", "1.0a1+x",
              "1.0b2", "1.0rc1", "1.0.dev0", "1.0.dev1", "1.0.dev1+x", "1.0.post1", "1.0.post1+x", "1.0.post2",
              "1.0.post1.dev0", "1.0.post0", "1.1", "1.1.dev0", "1.1a1", "1.2", "1.2.3", "1.2.3.post1", "1.9",
              "2", "2.0", "2.0.0", "2.0a1", "2.0.dev0", "2.0.post1", "2.3", "2.3.3", "2.3.4", "2.4", "3.0",
              "3.0.dev0", "1!1.0", "1!0.1", "0!1.0", "foo", "1.0-1", "v1.0", "1.0A1", "2.3.0+local"]
EXTRA_SPECS = ["==1.0.*", "!=1.0.*", "==1.*", "==1.0a1.*", "==1.*.*", "~=1", "~=1.0+l", ">=1.0+l", "<1.0+l",
               "== 1.0", " >= 1.0 ", "==v1.0", "===1.0", "===foo", "===", "=== 1.0", "==1.0+Local", "!=1.0+l",
               "~=1.0.*", ">1.0.*", "=>1.0", "=1.0", "1.0", "<<1.0", "~=2.2.post3", "~=1.4.5a4", "~=0.9",
               "==1.0.0", "==1.0+abc.1", ">=1.0.dev0", "<1.0.post1", ">1.0.post1", ">1.0.dev0", ">1.0a1",
               "<1.0a1", "<=1.0.dev0", "<0", "<0.dev0", ">=1!1.0", "==1.0-1", "===1.0a1", "== 1.0 ", "==\u00a01.0"]


def gen_specifiers():
    specs = list(EXTRA_SPECS)
    for op in OPS:
        for v in SPEC_VERSIONS:
            specs.append(op + v)
    specs = list(dict.fromkeys(specs))
    parse = []
    contains = []
    for s in specs:
        try:
            sp = Specifier(s)
        except InvalidSpecifier:
            parse.append({"spec": s, "valid": False})
            continue
        parse.append({"spec": s, "valid": True, "str": str(sp)})
        for c in rng.sample(CANDIDATES, 12):
            for pre in (None, True, False):
                contains.append({"spec": s, "version": c, "prereleases": pre, "result": sp.contains(c, prereleases=pre)})
    dump("specifiers.json", parse)
    dump("specifier_contains.json", contains)
    valid = [p["spec"] for p in parse if p["valid"]]
    sets = ["", ">=1.0,<2.0", ">=1.0,!=1.5", "~=2.3,!=2.3.2", "==2.*,!=2.3.*", ">=1.0a1", ">=1.0,<1.0.post2",
            "<2.0,>1.0", ">=1.0,==1.0+local", "===1.0,>=0.5", "===foo", "!=1.0", ">1.0,<1.1", ">=3.0", "==2.3.3",
            "<1.0", ">=1.0.dev0,<1.0", "<=1.0,>=1.0"]
    for _ in range(60):
        sets.append(",".join(rng.sample(valid, rng.randint(1, 3))))
    set_contains = []
    filters = []
    for s in sets:
        ss = SpecifierSet(s)
        for c in rng.sample(CANDIDATES, 10):
            for pre in (None, True, False):
                set_contains.append({"set": s, "version": c, "prereleases": pre, "result": ss.contains(c, prereleases=pre)})
        for pre in (None, True, False):
            items = rng.sample(CANDIDATES, 8)
            filters.append({"set": s, "items": items, "prereleases": pre, "result": list(ss.filter(items, prereleases=pre))})
        for explicit in (True, False):
            ss2 = SpecifierSet(s, prereleases=explicit)
            c = rng.choice(CANDIDATES)
            set_contains.append({"set": s, "explicit": explicit, "version": c, "prereleases": None, "result": ss2.contains(c)})
    dump("specifier_set_contains.json", set_contains)
    dump("specifier_set_filter.json", filters)
    strs = []
    for s in sets + ["b>=1,a<2", ">=1.0 , <2", "<2,>=1,<2", ">=1,,<2", ">=1,foo"]:
        try:
            strs.append({"set": s, "valid": True, "str": str(SpecifierSet(s)), "unsatisfiable": SpecifierSet(s).is_unsatisfiable()})
        except InvalidSpecifier:
            strs.append({"set": s, "valid": False})
    dump("specifier_sets.json", strs)


# ---------------------------------------------------------------- satisfiability (brute force)
def grid():
    out = []
    for major in range(0, 5):
        for minor in range(0, 6):
            for micro in range(0, 5):
                base = f"{major}.{minor}.{micro}"
                out.append(base)
                for suf in ["a1", "b1", "rc1", ".dev0", ".post1", "rc1.dev0", ".post1.dev0", "+local"]:
                    out.append(base + suf)
            out.append(f"{major}.{minor}")
            out.append(f"{major}.{minor}a1")
            out.append(f"{major}.{minor}.dev0")
        out.append(f"{major}")
        out.append(f"{major}.dev0")
    return [Version(v) for v in out]


SAT_PIECES = ["==2.3.3", ">=3.0", "~=2.3", "==2.*", "!=2.3.*", ">=2.0", "<2.3", "<3", ">=2.3.3", "<=2.3.3", "!=2.3.3",
              "~=2.3.1", "==3.*", ">2.3", ">2.3.3", "<2.4", "~=3.1", "==2.3.*", ">=2.0a1", "<2.0", "==2.0rc1", ">=2.4.dev0",
              "<2.4.dev0", "!=2.0", ">=1.0,<2.0", ">1.4", "<=1.4", "==1.4.post1", ">1.4.post1", "<1.4.post1", "~=1.4.2",
              "==4.*", ">=4.1", "~=2.0", "!=2.*", ">=0.dev0", "<0.1", "==1.4+local", ">=1.4a1,<1.4"]


def gen_satisfiability():
    g = grid()
    cases = []
    combos = set()
    for a, b in itertools.combinations(SAT_PIECES, 2):
        combos.add((a, b))
    combos = sorted(combos)
    rng.shuffle(combos)
    combos = combos[:320]
    for _ in range(80):
        combos.append(tuple(rng.sample(SAT_PIECES, 3)))
    for combo in combos:
        sets = [SpecifierSet(s) for s in combo]
        allowed = [v for v in g if all(s.contains(v, prereleases=True) for s in sets)]
        cases.append({"sets": list(combo), "anyVersion": bool(allowed), "anyFinal": any(not v.is_prerelease for v in allowed),
                      "examples": [str(v) for v in allowed[:3]]})
    dump("satisfiability.json", cases)


# ---------------------------------------------------------------- PEP 508 requirements
REQ_LINES = """
requests
requests==2.31.0
Requests[security,socks]>=2.8.1,==2.8.*;python_version<"2.7"
name[quux,strange];python_version<'2.7'
name (>=1.0,<2.0)
name(>=1.0)
name @ https://example.com/pkg.tar.gz
name @ https://example.com/pkg.tar.gz ; python_version >= "3.8"
name @ https://example.com/pkg.tar.gz; python_version >= "3.8"
name@https://x.y/z.whl
name [extra1, extra2] >= 1.0
name[] >= 1.0
name[Extra_One,extra-one]
name[a b]
name[a,]
name[a
name (>=1.0
name >=1.0 <2.0
name==1.0.*
name==1.0a1.*
name>=1.0.*
name~=1.0.*
name~=1
name>=1.0+local
name==1.0+local
name<=1.0+l
name===arbitrary-string
name===1.0; os_name == "nt"
name==1.0 ; sys_platform == 'win32' and python_version < '3.8'
name ; extra == "Test_Extra"
name ; "test" in extras
name ; extra == 'a' or (extra == 'b' and python_version >= '3')
name; (python_version < "3")
name; python_version
name; python_version <
name; python_version ~ "3"
name; python_version not "3"
name; python_version not  in "3"
name; python_version notin "3"
name; os.name == "posix"
name; sys.platform == "linux"
name; platform.python_implementation == "CPython"
name; python_implementation == "CPython"
name; platform.version == "x"
name; platform.machine == "x86_64"
name; implementation_name == "cpython" and implementation_version >= "3.11"
name; dependency_groups == "x"
name; 'x' == 'y'
name; python_version == "3.11" and
name; (python_version == "3.11"
name; python_version == "3.11")
name; python_version == '3.11"
name; python_version === "3.11"
name; python_version == "3.11" or os_name == "nt" and sys_platform == "win32"
name; platform_release >= "5"
name; "3.8" <= python_version
name; python_full_version in "3.11.7 3.12.0"
name; python_version in '3.10, 3.11'
name; 'linux' not in sys_platform
name; python_version == "\\x33.11"
name; python_version=="3.11"and os_name=="posix"
name; python_version=="3.11" andos_name=="posix"
name==1.0;python_version>"3"
1name
_name
name-
-name
name.
na.me_x-y
name==1.0 extra
name==1.0,
name==1.0,,>=2
name>=1.0,<2.0,!=1.5
name >= 1.0 , < 2.0
name===1.0 ; python_version > "3"
name==1.0abc
name==1.0+
name===
name @
name @ 
name @ url extra
name @ url ;
name @ url ; bad marker
name== 1.0
name ==1.0 ;
name; python_version == "3" ;
zope.interface>=5
google-cloud-storage==2.14.0
requests==2.31.0google-cloud-storage==2.14.0
flask==2.0 django==4.0
name==1.0 ; python_version>="3.8" and platform_system!="Windows"
name[security]@https://x.y/z
name>=1.0; extra == "Dev.Tools"
name<=1.0,>=0.5;os_name=="nt"or os_name=="posix"
name==v1.0
name==1!2.0
name==1.0-1
name!=1.0.*
name==1.*
name(==1.0)
name (  ==1.0  ,  <2  )
name[extra](>=1)
name ( >= 1.0 ) ; python_version > "3"
name>1.0.post1
name<1.0a1
name>=1.0.dev0
name~=1.4.5a4
name~=2.2.post3
name[ex]>1.0;extra=="ex"
""".strip("\n").split("\n")


def random_req_line():
    name = rng.choice(["requests", "Flask", "zope.interface", "google_cloud-storage", "a", "Django", "numpy"])
    extras = rng.choice(["", "[security]", "[a,b]", "[ a ]", "[A_B]"])
    spec = rng.choice(["", "==1.0", ">=1.0,<2", "~=2.3", "==2.*", "!=2.3.*", " (>=1.0)", ">=1.0a1", "===x", "<=3"])
    marker = rng.choice(["", ';python_version<"3.12"', " ; os_name == 'nt'", "; extra == 'x'",
                         '; sys_platform == "linux" and python_full_version >= "3.11.2"',
                         "; (os_name=='nt' or os_name=='posix') and python_version>'3'"])
    return name + extras + spec + marker


def requirement_record(line):
    try:
        r = Requirement(line)
    except InvalidRequirement as e:
        cause = e.__cause__
        span = getattr(cause, "span", None)
        rec = {"line": line, "valid": False, "message": str(e).split("\n")[0]}
        if span is not None:
            rec["spanStart"], rec["spanEnd"] = span
        return rec
    return {"line": line, "valid": True, "str": str(r), "name": r.name, "extras": sorted(r.extras),
            "specifier": str(r.specifier), "url": r.url, "marker": str(r.marker) if r.marker else None}


def gen_requirements():
    lines = [l.replace("\\\\", "\\") for l in REQ_LINES]
    lines += [random_req_line() for _ in range(220)]
    lines = list(dict.fromkeys(lines))
    dump("requirements.json", [requirement_record(l) for l in lines])


# ---------------------------------------------------------------- markers
ENVS = {
    "linux311": {"implementation_name": "cpython", "implementation_version": "3.11.7", "os_name": "posix",
                 "platform_machine": "x86_64", "platform_release": "6.1.0-18-amd64", "platform_system": "Linux",
                 "platform_version": "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)",
                 "python_full_version": "3.11.7", "platform_python_implementation": "CPython",
                 "python_version": "3.11", "sys_platform": "linux"},
    "win38": {"implementation_name": "cpython", "implementation_version": "3.8.10", "os_name": "nt",
              "platform_machine": "AMD64", "platform_release": "10", "platform_system": "Windows",
              "platform_version": "10.0.19041", "python_full_version": "3.8.10",
              "platform_python_implementation": "CPython", "python_version": "3.8", "sys_platform": "win32"},
    "mac313pre": {"implementation_name": "cpython", "implementation_version": "3.13.0b1", "os_name": "posix",
                  "platform_machine": "arm64", "platform_release": "23.1.0", "platform_system": "Darwin",
                  "platform_version": "Darwin Kernel Version 23.1.0", "python_full_version": "3.13.0b1",
                  "platform_python_implementation": "CPython", "python_version": "3.13", "sys_platform": "darwin"},
    "pypy": {"implementation_name": "pypy", "implementation_version": "7.3.13", "os_name": "posix",
             "platform_machine": "aarch64", "platform_release": "5.15", "platform_system": "Linux",
             "platform_version": "", "python_full_version": "3.10.13+", "platform_python_implementation": "PyPy",
             "python_version": "3.10", "sys_platform": "linux"},
}
MARKER_ATOMS = [
    'python_version < "3.9"', 'python_version >= "3.11"', "python_version == '3.11'", 'python_version != "3.8"',
    'python_version > "3.10"', 'python_version <= "3.8"', 'python_version ~= "3.10"', 'python_version === "3.11"',
    'python_full_version >= "3.11.2"', 'python_full_version < "3.13"', 'python_full_version == "3.13.0b1"',
    'python_version == "3.*"', 'python_version == "3.1*"', 'python_version in "3.10 3.11"', 'python_version not in "2.7"',
    'os_name == "nt"', "os.name == 'posix'", 'sys_platform == "win32"', 'sys.platform != "darwin"',
    'sys_platform in "linux darwin"', "'linux' in sys_platform", 'platform_system == "Windows"',
    'platform_machine == "x86_64"', 'platform_machine in "x86_64 AMD64"', 'platform.machine != "arm64"',
    'platform_python_implementation == "CPython"', 'python_implementation == "PyPy"',
    'implementation_name == "pypy"', 'implementation_version >= "7"', 'platform_release >= "6"',
    'platform_release < "10"', 'platform_version >= "1"', 'os_name < "posix"', 'os_name <= "posix"',
    'os_name > "nt"', 'os_name ~= "posix"', 'extra == "test"', 'extra == "Test_Extra"', "extra != 'dev'",
    '"3.8" < python_version', '"posix" == os_name', 'python_version > "3.10" and python_version < "3.12"',
    'python_version < "3"', 'platform_system != ""', 'sys_platform == ""',
]


def gen_markers():
    exprs = list(MARKER_ATOMS)
    for _ in range(120):
        a, b = rng.sample(MARKER_ATOMS, 2)
        op = rng.choice([" and ", " or "])
        exprs.append(a + op + b)
    for _ in range(40):
        a, b, c = rng.sample(MARKER_ATOMS, 3)
        exprs.append(f"({a} or {b}) and {c}")
        exprs.append(f"{a} or ({b} and {c})")
    exprs = list(dict.fromkeys(exprs))
    parse = []
    evals = []
    for m in exprs:
        try:
            mk = Marker(m)
        except InvalidMarker as e:
            parse.append({"marker": m, "valid": False})
            continue
        parse.append({"marker": m, "valid": True, "str": str(mk)})
        env_names = rng.sample(sorted(ENVS), 2)
        for en in env_names:
            for extra in ([None, "test"] if "extra" in m else [None]):
                env = dict(ENVS[en])
                if extra is not None:
                    env["extra"] = extra
                try:
                    res = mk.evaluate(env)
                    evals.append({"marker": m, "env": en, "extra": extra, "result": res})
                except (UndefinedComparison, UndefinedEnvironmentName) as e:
                    evals.append({"marker": m, "env": en, "extra": extra, "error": type(e).__name__})
    dump("markers.json", parse)
    dump("marker_eval.json", evals)
    dump("marker_envs.json", ENVS)


# ---------------------------------------------------------------- pip requirements files
def _pep508_valid(text):
    try:
        Requirement(text)
        return True
    except InvalidRequirement:
        return False


def gen_pip_files():
    from pip._internal.req import req_file
    from pip._internal.exceptions import InstallationError, RequirementsFileParseError
    from pip._internal.models.format_control import FormatControl

    files_dir = OUT / "files"
    results = {}

    class FakeSession:
        def get(self, url):  # noqa: D401
            raise InstallationError(f"network access attempted: {url}")

    for path in sorted(files_dir.rglob("*.txt")):
        rel = path.relative_to(files_dir).as_posix()
        if rel.startswith("inc/"):
            continue
        old = os.getcwd()
        os.chdir(files_dir)
        entries = []
        error = None
        env_backup = dict(os.environ)
        os.environ.clear()
        os.environ.update({"PIP_TEST_VERSION": "1.2.3", "INDEX_HOST": "pypi.example.com"})
        try:
            for pr in req_file.parse_requirements(rel, session=FakeSession()):
                entries.append({
                    "requirement": pr.requirement, "isEditable": pr.is_editable, "isConstraint": pr.constraint,
                    "comesFrom": pr.comes_from.replace(str(files_dir) + "/", ""),
                    "options": json.loads(json.dumps(pr.options or {}, default=str)),
                    "pep508Valid": _pep508_valid(pr.requirement),
                })
        except (RequirementsFileParseError, InstallationError, Exception) as e:  # pip stops at the first error
            error = {"type": type(e).__name__, "message": str(e).replace(str(files_dir) + "/", "")}
        finally:
            os.environ.clear()
            os.environ.update(env_backup)
            os.chdir(old)
        results[rel] = {"entries": entries, "error": error}
    dump("pip_files.json", results)


def main():
    print("packaging", packaging.__version__, file=sys.stderr)
    gen_versions()
    gen_specifiers()
    gen_satisfiability()
    gen_requirements()
    gen_markers()
    if (OUT / "files").exists():
        gen_pip_files()


if __name__ == "__main__":
    main()
