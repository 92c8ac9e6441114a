#!/usr/bin/env python
"""Benchmark of the staff queue pages at scale (not part of make test).

    python bench/tickets_queue.py [--tickets 1000000] [--backend sqlite|postgresql] [--requests 40]

Builds a fresh database (an SQLite file in a temporary directory, or a temporary PostgreSQL database on
postgres://postgres@127.0.0.1:5432/, dropped afterwards), a district of 2 streets × 6 communities × 4 grids,
and ``--tickets`` tickets over a year (95% closed, the rest spread over the open steps), then times, in
process through Django's test client, the queue pages and API a street dispatcher opens: p50 and p95 in ms.

Baseline, measured in the same run: a bare Django JSON view behind the same middleware (sessions, auth,
CSRF, locale), so the figure beside it is what the queue itself costs. Goal: queue page p95 < 150 ms at 1M.
Beside the wall-clock figures, the CPU milliseconds this process spent per request (median): on a machine
shared with other work the wall clock stretches, the CPU time much less. For PostgreSQL the database
server's own work is in the wall clock only.

Building a million tickets takes the better part of an hour on 2 busy cores: ``--keep NAME`` builds them
in that SQLite file or PostgreSQL database and leaves it there; a later run with the same name migrates
it (so new indexes are measured) and measures at once.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import types
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument(
        "--keep",
        default="",
        help="build the district in this SQLite file / PostgreSQL database and keep it; a later run given the "
        "same name migrates it and measures at once (building 1M tickets takes a while on 2 cores)",
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-tickets-")
    pg_name = args.keep or f"bench_tickets_{uuid.uuid4().hex[:8]}"
    args.reuse = False
    if args.backend == "sqlite":
        db_file = Path(args.keep).resolve() if args.keep else Path(tmp) / "bench.sqlite3"
        args.reuse = db_file.exists()
        os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    else:
        import psycopg

        with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [pg_name]).fetchone()
            args.reuse = bool(found and args.keep)
            if not args.reuse:
                conn.execute(f'CREATE DATABASE "{pg_name}"')  # type: ignore[arg-type]
        os.environ["DATABASE_URL"] = PG_SERVER + pg_name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("HUEY_FILE", str(Path(tmp) / "huey.sqlite3"))
    sys.path.insert(0, str(ROOT))
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.backend == "postgresql" and not args.keep:
            import psycopg

            with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')  # type: ignore[arg-type]
        shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()

    from django.core.management import call_command
    from django.http import JsonResponse
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import include, path

    call_command("migrate", verbosity=0)
    from jishiyu.accounts.models import User
    from jishiyu.tickets.models import Ticket

    if args.reuse:
        dispatcher = User.objects.get(phone="13900009999")
        print(f"{args.backend}: reusing {Ticket.objects.count():,} tickets of {args.keep}", flush=True)
    else:
        dispatcher = build(args)
    if args.backend == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def bare(request: object) -> JsonResponse:
        return JsonResponse({"ok": True})

    urls = types.ModuleType("bench_tickets_urls")
    urls.urlpatterns = [path("bare/", bare), path("", include("config.urls"))]  # type: ignore[attr-defined]
    sys.modules["bench_tickets_urls"] = urls
    client = Client()
    client.force_login(dispatcher)
    targets = [
        ("bare JSON view (baseline)", "/bare/"),
        ("queue page: to dispatch", "/tickets/?queue=to_dispatch"),
        ("queue page: overdue", "/tickets/?queue=overdue"),
        ("queue page: all", "/tickets/?queue=all"),
        ("API: due soon", "/api/v1/tickets/?queue=due_soon"),
    ]
    with override_settings(ROOT_URLCONF="bench_tickets_urls", DEBUG=False):
        for label, url in targets:
            client.get(url)  # warm up
            times, cpu = [], []
            for _ in range(args.requests):
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"  {label:32s} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms"
                f"   CPU p50 {statistics.median(cpu):6.1f} ms",
                flush=True,
            )
            if os.environ.get("BENCH_SQL"):
                from django.db import connection
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as captured:
                    client.get(url)
                slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
                for query in slowest:
                    print(f"      {float(query['time']) * 1000:6.1f} ms  {query['sql'][:150]}")


def build(args: argparse.Namespace) -> Any:
    """A district of 2 streets × 6 communities × 4 grids, a street dispatcher, and the tickets."""
    import datetime as dt
    import random

    from django.utils import timezone

    from jishiyu.accounts.models import RoleAssignment, User
    from jishiyu.regions.services import region_create
    from jishiyu.tickets.models import Status, Ticket

    rng = random.Random(7)
    district = region_create(kind="district", name="雨花台区")
    grids = []
    streets = []
    for s in range(2):
        street = region_create(kind="street", name=f"街道{s}", parent=district)
        streets.append(street)
        for c in range(6):
            community = region_create(kind="community", name=f"社区{s}-{c}", parent=street, community_kind="commercial")
            for g in range(4):
                grids.append((community, region_create(kind="grid", name=f"网格{s}-{c}-{g}", parent=community)))
    dispatcher = User.objects.create_user(phone="13900009999", password="Bench-pass-1", name="派单员")
    RoleAssignment.objects.create(user=dispatcher, role="street_dispatcher", region=streets[0])

    now = timezone.now()
    open_steps = [Status.ACCEPTED, Status.DISPATCHED, Status.SIGNED_FOR, Status.HANDLING, Status.REPLIED]
    started = time.perf_counter()
    from django.db import connection

    with connection.cursor() as cursor:  # a bulk load: the benchmark's database need not survive a crash
        if args.backend == "sqlite":
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-500000")
        else:
            cursor.execute("SET synchronous_commit TO OFF")
    batch: list[Ticket] = []
    for i in range(args.tickets):
        community, grid = grids[i % len(grids)]
        received = now - dt.timedelta(seconds=rng.randint(0, 365 * 86400))
        status = Status.CLOSED if rng.random() < 0.95 else rng.choice(open_steps)
        batch.append(
            Ticket(
                channel="hotline",
                kind="enquiry",
                content="咨询",
                queue_region=grid,
                region=grid,
                region_path=grid.path,
                place_resolved=True,
                status=status,
                received_at=received,
                due_at=received + dt.timedelta(days=rng.randint(1, 12)),
                handler_region=None if status == Status.ACCEPTED else community,
            )
        )
        if len(batch) == 5000:
            Ticket.objects.bulk_create(batch)
            batch = []
    Ticket.objects.bulk_create(batch)
    print(f"{args.backend}: {args.tickets:,} tickets inserted in {time.perf_counter() - started:.1f}s", flush=True)
    return dispatcher


if __name__ == "__main__":
    main()
