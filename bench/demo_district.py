#!/usr/bin/env python
"""Benchmark of the demo district build (not part of make test).

    python bench/demo_district.py [--residents 339000] [--baseline 33900] [--backends sqlite,postgresql]

For each backend it creates a fresh database (an SQLite file in a temporary directory; a temporary
PostgreSQL database on postgres://postgres@127.0.0.1:5432/, dropped afterwards), migrates it, and runs
``manage.py demo_district`` in a child process, printing the wall time, the child's peak RSS
(os.wait4 rusage) and the rows per table.

Baseline, measured in the same run: the same build at ``--baseline`` residents (default N/10) on another fresh
database, scaled linearly to N. A full build close to the scaled baseline means the build is linear
in N (no per-row query or growing structure); well above it means something grows with N (a fixed
cost of a few seconds — start-up, 43 communities, accounts — makes the scaled baseline a little high). The
command's own split (time in inserts, in encryption and hashing, in generation) says where the
time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
COUNT_SCRIPT = """
import json
from django.apps import apps
rows = {m._meta.label: m._default_manager.count() for m in apps.get_models()
        if m._meta.app_label in ("regions", "people", "accounts", "organisations", "audit")}
print(json.dumps({k: v for k, v in rows.items() if v}))
"""


def run(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run a manage.py command; return wall seconds, the child's peak RSS in MB and its output."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        child = subprocess.Popen([PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        out.seek(0)
        text = out.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{text[-3000:]}")
    return elapsed, usage.ru_maxrss // 1024, text  # ru_maxrss is in KB on Linux


class Database:
    """A fresh database for one build."""

    def __init__(self, backend: str, label: str):
        self.backend, self.name = backend, f"bench_demo_{os.getpid()}_{label}"
        self.tmp = tempfile.mkdtemp(prefix="bench-demo-")

    def __enter__(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp}/{self.name}.sqlite3"
        self._admin(f'CREATE DATABASE "{self.name}"')
        return f"{PG_SERVER}{self.name}"

    def __exit__(self, *exc: object) -> None:
        if self.backend == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')
        for f in Path(self.tmp).glob("*"):
            f.unlink()
        os.rmdir(self.tmp)

    @staticmethod
    def _admin(sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}postgres", autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]


def build(backend: str, residents: int, seed: int, label: str) -> dict[str, object]:
    with Database(backend, label) as url:
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
        run(["migrate", "--noinput", "-v", "0"], env)
        wall, rss, text = run(["demo_district", "--residents", str(residents), "--seed", str(seed)], env)
        _w, _r, counts = run(["shell", "-c", COUNT_SCRIPT], env)
    split = re.search(r"inserts ([\d.]+)s, encryption and hashing ([\d.]+)s", text)
    grids = re.search(r"grids: .*", text)
    return {
        "wall": wall,
        "rss": rss,
        "inserts": float(split.group(1)) if split else None,
        "protect": float(split.group(2)) if split else None,
        "grids": grids.group(0) if grids else "",
        "rows": json.loads(counts.strip().splitlines()[-1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=339_000)
    parser.add_argument("--baseline", type=int, default=0, help="baseline residents (default N/10), scaled to N")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    n = args.residents
    b = args.baseline or n // 10
    print(f"demo_district benchmark: N={n:,}, baseline N={b:,} scaled ×{n / b:.1f}; {os.cpu_count()} CPUs")
    for backend in args.backends.split(","):
        base = build(backend, b, args.seed, "base")
        full = build(backend, n, args.seed, "full")
        scaled = float(base["wall"]) * n / b  # type: ignore[arg-type]
        print(f"\n== {backend}")
        print(f"  build N={n:,}: {full['wall']:.1f} s wall, peak RSS {full['rss']} MB (goal < 180 s, < 1024 MB)")
        print(f"    of which inserts {full['inserts']} s, encryption and hashing {full['protect']} s")
        print(f"    {full['grids']}")
        print(f"  baseline N={b:,}: {base['wall']:.1f} s wall, peak RSS {base['rss']} MB → scaled to N: {scaled:.1f} s")
        print(f"  full / scaled baseline: {float(full['wall']) / scaled:.2f}")  # type: ignore[arg-type]
        print("  rows:")
        for label, count in full["rows"].items():  # type: ignore[attr-defined]
            print(f"    {label:32} {count:>9,}")


if __name__ == "__main__":
    main()
