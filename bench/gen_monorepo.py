#!/usr/bin/env python3
"""Generate a synthetic Python monorepo of any size for fleetlint benchmarks.

    python3 bench/gen_monorepo.py OUT_DIR --services 100 --files-per-service 20 [--seed 7] [--migrated 0.96]

Each service gets a Dockerfile that installs a shared requirements file plus its own, Python modules
with a realistic mix of code (imports, classes, comprehensions, f-strings, retry loops, per-call
clients, pooled clients), and occasionally a pinned-version conflict, a drifting pin, a missing
dependency or a fake secret, so every rule has work to do. Deterministic for a given seed.

By default every module uses the legacy forms (a per-call `bigquery.Client`, `requests.get` in a retry loop, a
constant or jitter-free backoff in three of four modules): ~2.7 findings per Python file. `--migrated F` moves a
fraction F of the modules to the pooled helpers and jittered sleeps (0.96 leaves 4 %, as a team's ~76 legacy files
of 2,000); the modules are otherwise the same, byte for byte the same size within a few bytes, so the two trees
separate the cost of findings from the cost of reading the code. Without the flag the output is as it always was.
"""
import argparse
import os
import random

PACKAGES = [
    ("flask", ["2.3.3", "3.0.0"]), ("requests", ["2.31.0", "2.32.3"]), ("pandas", ["2.1.3", "2.2.2"]),
    ("google-cloud-bigquery", ["3.11.4", "3.25.0"]), ("google-cloud-storage", ["2.14.0", "2.18.2"]),
    ("numpy", ["1.26.4", "2.0.1"]), ("pydantic", ["2.5.3", "2.8.2"]), ("gunicorn", ["21.2.0", "22.0.0"]),
    ("sqlalchemy", ["2.0.25", "2.0.31"]), ("pyyaml", ["6.0.1"]), ("python-dateutil", ["2.9.0"]),
]

MODULE = '''"""Service module {name}: generated for fleetlint benchmarks."""
import json
import logging
import os
import random
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import requests
from google.cloud import bigquery

from shared.clients.bigquery_pool import get_bigquery_client

logger = logging.getLogger(__name__)
MAX_RETRIES = {retries}
BASE_DELAY = {delay}


@dataclass
class Record{idx}:
    key: str
    values: List[float] = field(default_factory=list)
    meta: Dict[str, Any] = field(default_factory=dict)

    def score(self) -> float:
        return sum(v * w for v, w in zip(self.values, range(1, len(self.values) + 1))) / max(len(self.values), 1)


def load_{idx}(table: str, limit: int = 100) -> List[Record{idx}]:
    client = get_bigquery_client()
    rows = client.query(f"SELECT key, value FROM `{{table}}` LIMIT {{limit}}").result()
    out: Dict[str, Record{idx}] = {{}}
    for row in rows:
        rec = out.setdefault(row["key"], Record{idx}(key=row["key"]))
        rec.values.append(float(row["value"]))
    return sorted(out.values(), key=lambda r: (-r.score(), r.key))


def fetch_with_retry_{idx}(url: str) -> Optional[dict]:
    for attempt in range(MAX_RETRIES):
        try:
            resp = {fetch}(url, timeout=10)
            if resp.status_code == 200:
                return resp.json()
        except requests.RequestException as exc:
            logger.warning("attempt %d failed: %s", attempt, exc)
        time.sleep({sleep_expr})
    return None


def legacy_client_{idx}() -> "bigquery.Client":
    return {client}


def summarize_{idx}(records: List[Record{idx}]) -> str:
    stats = {{r.key: round(r.score(), 3) for r in records if r.values}}
    best = max(stats.items(), key=lambda kv: kv[1]) if stats else ("none", 0.0)
    return json.dumps({{"count": len(stats), "best": best[0], "score": best[1]}}, sort_keys=True)


class Handler{idx}:
    """Request handler."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.cache: Dict[str, str] = {{}}

    def __call__(self, request: Dict[str, Any]) -> Dict[str, Any]:
        key = request.get("key", "default")
        if key not in self.cache:
            self.cache[key] = summarize_{idx}(load_{idx}(self.table))
        return {{"status": "ok", "body": self.cache[key], "jitter": random.random()}}
'''


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--services", type=int, default=100)
    ap.add_argument("--files-per-service", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--migrated", type=float, default=0.0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    # Its own generator: the main one draws the same sequence whatever the fraction.
    migration = random.Random(args.seed + 1)
    os.makedirs(os.path.join(args.out, "shared", "clients"), exist_ok=True)
    shared_pins = {name: versions[0] for name, versions in PACKAGES}
    with open(os.path.join(args.out, "shared", "requirements.txt"), "w") as f:
        f.write("# shared runtime dependencies\n")
        for name in ("flask", "requests", "google-cloud-bigquery"):
            f.write(f"{name}=={shared_pins[name]}\n")
    with open(os.path.join(args.out, "shared", "clients", "bigquery_pool.py"), "w") as f:
        f.write("from google.cloud import bigquery\n\n_CLIENT = None\n\n\ndef get_bigquery_client():\n"
                "    global _CLIENT\n    if _CLIENT is None:\n        _CLIENT = bigquery.Client()\n    return _CLIENT\n")
    if args.migrated > 0:
        with open(os.path.join(args.out, "shared", "clients", "http_pool.py"), "w") as f:
            f.write("import requests\n\n_SESSION = None\n\n\ndef get_http_session():\n"
                    "    global _SESSION\n    if _SESSION is None:\n        _SESSION = requests.Session()\n    return _SESSION\n")
    open(os.path.join(args.out, "shared", "__init__.py"), "w").close()
    open(os.path.join(args.out, "shared", "clients", "__init__.py"), "w").close()
    with open(os.path.join(args.out, "pyproject.toml"), "w") as f:
        f.write('[project]\nname = "synthetic-monorepo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n')
    for s in range(args.services):
        svc = f"services/svc{s:03d}"
        os.makedirs(os.path.join(args.out, svc), exist_ok=True)
        own = rng.sample(PACKAGES, 4)
        with open(os.path.join(args.out, svc, "requirements.txt"), "w") as f:
            f.write("-r ../../shared/requirements.txt\n")
            for name, versions in own:
                f.write(f"{name}=={rng.choice(versions)}\n")
        with open(os.path.join(args.out, svc, "Dockerfile"), "w") as f:
            f.write("FROM python:3.11-slim\nWORKDIR /app\nCOPY shared/ shared/\n"
                    f"COPY {svc}/ {svc}/\nRUN pip install --no-cache-dir -r {svc}/requirements.txt\n"
                    f'CMD ["python", "-m", "{svc.replace("/", ".")}.mod000"]\n')
        if rng.random() < 0.2:
            with open(os.path.join(args.out, svc, ".env"), "w") as f:
                f.write("# fake, generated\nAPI_TOKEN=fake-" + "".join(rng.choice("abcdef0123456789") for _ in range(32)) + "\n")
        open(os.path.join(args.out, svc, "__init__.py"), "w").close()
        for i in range(args.files_per_service):
            sleep_expr = rng.choice(["BASE_DELAY", "2 ** attempt", "BASE_DELAY * (2 ** attempt) + random.uniform(0, 1)", "5"])
            fetch, client = "requests.get", 'bigquery.Client(project=os.environ.get("GCP_PROJECT", "demo"))'
            if args.migrated > 0 and migration.random() < args.migrated:
                fetch, client = "get_http_session().get", "get_bigquery_client()"
                if "random" not in sleep_expr:
                    sleep_expr = f"random.uniform(0, {sleep_expr})"
            body = MODULE.format(name=f"{svc}/mod{i:03d}", idx=i, retries=rng.randint(3, 6),
                                 delay=rng.choice([1, 2, 5]), sleep_expr=sleep_expr, fetch=fetch, client=client)
            if fetch != "requests.get":
                body = body.replace("from shared.clients.bigquery_pool import get_bigquery_client\n",
                                    "from shared.clients.bigquery_pool import get_bigquery_client\n"
                                    "from shared.clients.http_pool import get_http_session\n")
            with open(os.path.join(args.out, svc, f"mod{i:03d}.py"), "w") as f:
                f.write(body)


if __name__ == "__main__":
    main()
