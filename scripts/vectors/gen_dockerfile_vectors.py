"""Record BuildKit's Dockerfile parser output for the differential tests.

Run by hand (not in CI):

    python3 -m venv /tmp/venv-docker && /tmp/venv-docker/bin/pip install dockerfile==3.4.0
    /tmp/venv-docker/bin/python scripts/vectors/gen_dockerfile_vectors.py

Reference: PyPI `dockerfile` 3.4.0 (cp39-abi3 manylinux wheel), which wraps moby/buildkit's
`frontend/dockerfile/parser` (Go). For each `Tests/FleetLintSyntaxTests/Vectors/dockerfile/files/*`
it writes `parse_file`'s commands (cmd, sub_cmd, json, original, start_line, end_line, flags, value,
heredocs) to `Vectors/dockerfile/expected.json`; a file BuildKit rejects is recorded with `error`.
"""
import json
import pathlib

import dockerfile

ROOT = pathlib.Path(__file__).resolve().parents[2] / "Tests/FleetLintSyntaxTests/Vectors/dockerfile"


def main() -> None:
    out = {"reference": "dockerfile==3.4.0 (moby/buildkit frontend/dockerfile/parser)", "files": {}}
    for path in sorted((ROOT / "files").iterdir()):
        try:
            cmds = dockerfile.parse_file(str(path))
        except dockerfile.GoParseError as e:
            out["files"][path.name] = {"error": str(e)}
            continue
        out["files"][path.name] = {
            "instructions": [
                {
                    "cmd": c.cmd,
                    "sub_cmd": c.sub_cmd,
                    "json": c.json,
                    "original": c.original,
                    "start_line": c.start_line,
                    "end_line": c.end_line,
                    "flags": list(c.flags),
                    "value": list(c.value),
                    "heredocs": [{"name": h.name, "content": h.content} for h in c.heredocs],
                }
                for c in cmds
            ]
        }
    (ROOT / "expected.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
