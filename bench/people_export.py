#!/usr/bin/env python
"""Benchmark of the residents' export (导出居民列表, not part of make test): time and memory of the
district admin exporting the whole district to .xlsx, beside a baseline measured in the same run.

    python bench/people_export.py [--residents 100000] [--keep FILE]

It builds the demo district with ``--residents`` residents in an SQLite file (a temporary one unless
``--keep`` names a file, which a later run reuses), then runs each measurement in a fresh process so
that its peak memory is its own:

  * baseline: the same number of rows of the same width written with openpyxl's write-only workbook,
    no database (the floor of the .xlsx format itself);
  * export: the district admin's POST /people/export/ through Django's test client (sessions, scope,
    audit, the .xlsx response read to the end), masked columns;
  * export with document numbers and phones in the clear (decrypted row by row, with a reason).

For each: wall seconds, CPU seconds and the process's peak resident memory above what it held before
the step (VmHWM from /proc, in MB).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Bench-Export-2026"
STATIC_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"


def _hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_hwm() -> None:
    """Start counting the peak from now (Linux: writing 5 to clear_refs resets VmHWM)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _setup(db: Path) -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{db}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "HUEY_IMMEDIATE": "1",
            "DEMO_PASSWORD": PASSWORD,
            # fixed, bench-only keys: a kept database is read again by later runs
            "SECRET_KEY": "bench-people-export-" + "k" * 50,
            "FIELD_ENCRYPTION_KEY": base64.urlsafe_b64encode(b"bench-people-export-key-32-bytes").decode(),
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(db: Path, residents: int) -> None:
    _setup(db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo_district", residents=residents, seed=11, if_empty=True, stdout=io.StringIO())
    print(f"demo district with {residents:,} residents built in {time.perf_counter() - started:.1f} s", flush=True)


def measure(db: Path, step: str) -> dict[str, Any]:
    _setup(db)
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings
    from openpyxl import load_workbook

    from jishiyu.accounts.models import RoleAssignment
    from jishiyu.core.exports import write_xlsx
    from jishiyu.people.models import Person

    # the pages link static files by name; no collectstatic manifest is needed to measure the export
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_BACKEND}}).enable()
    count = Person.objects.count()
    admin = RoleAssignment.objects.filter(role="district_admin", active=True).select_related("user").first()
    assert admin is not None, "the demo district has no district admin"
    client = Client()
    client.force_login(admin.user)
    client.get("/people/")  # warm: templates, scope caches, translations
    _reset_hwm()
    before = _hwm_mb()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if step == "baseline":
        row = ["张三", "男", "1950-01-01", "居民身份证", "3201**********1234", "139****1234", "翠竹园第一网格"]
        row += ["320114-0001", "独居老人", "是"]
        body = write_xlsx([str(i) for i in range(10)], (row for _ in range(count)))
        rows = count
    else:
        data = {"include_sensitive": "on", "reason": "benchmark of the export"} if step == "sensitive" else {}
        response = client.post("/people/export/", data)
        assert response.status_code == 200, response.status_code
        body = b"".join(response.streaming_content) if response.streaming else response.content
        rows = -1
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    peak = _hwm_mb() - before
    if rows < 0:  # counted after the clock stopped: a write-only sheet records no dimensions
        rows = sum(1 for _ in load_workbook(io.BytesIO(body), read_only=True).active.iter_rows()) - 1
    return {"step": step, "rows": rows, "wall": wall, "cpu": cpu, "peak_mb": peak, "bytes": len(body)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--keep", default="", help="build the district in this SQLite file and reuse it later")
    parser.add_argument("--step", default="", help=argparse.SUPPRESS)  # a child's one measurement
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "build":
        build(Path(args.db), args.residents)
        return
    if args.step:
        print(json.dumps(measure(Path(args.db), args.step)))
        return
    tmp = tempfile.TemporaryDirectory(prefix="bench-export-")
    db = Path(args.keep).resolve() if args.keep else Path(tmp.name) / "bench.sqlite3"
    if not db.exists():  # the build too in its own process: the measurements start from a cold one
        subprocess.run(
            [sys.executable, __file__, "--db", str(db), "--step", "build", "--residents", str(args.residents)],
            check=True,
        )
    print(f"residents' export benchmark; {os.cpu_count()} CPUs; database {db.name}")
    print(f"  {'step':<34} {'rows':>8} {'wall s':>8} {'CPU s':>8} {'peak MB':>9} {'file MB':>8}")
    for step in ("baseline", "export", "sensitive"):
        out = subprocess.run(
            [sys.executable, __file__, "--db", str(db), "--step", step], check=True, capture_output=True, text=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        label = {
            "baseline": "baseline: openpyxl rows, no DB",
            "export": "export (masked)",
            "sensitive": "export (in the clear, decrypted)",
        }[step]
        print(
            f"  {label:<34} {r['rows']:>8,} {r['wall']:>8.2f} {r['cpu']:>8.2f} {r['peak_mb']:>9.1f} "
            f"{r['bytes'] / 1e6:>8.1f}"
        )
    print("  (peak MB: the resident memory the step added to its process, VmHWM after minus before)")


if __name__ == "__main__":
    main()
