#!/usr/bin/env python
"""Many processes on one PostgreSQL, directly and through PgBouncer in transaction mode (issue 14; not part
of make test).

    python bench/pgbouncer.py [--database city_1000000] [--clients 32] [--seconds 20] [--pool 8]

A district runs several gunicorn processes of several workers each, plus the task workers; every one keeps a
PostgreSQL connection (``CONN_MAX_AGE``), and each connection is a backend process on the database server
with its own memory. This starts ``--clients`` worker processes that each open the street dispatcher's
queue API (``/api/v1/tickets/?queue=to_dispatch``) as fast as they can for ``--seconds``, first straight
to PostgreSQL, then through PgBouncer (``pool_mode = transaction``, ``default_pool_size = --pool``) with
``DB_DISABLE_SERVER_SIDE_CURSORS=1`` as docs/deploy.md §3 says. It prints, for both, requests per second,
p50/p95 latency and the most PostgreSQL backends the database had at once; the direct run is the baseline
measured in the same run.

It also streams a large export through a server-side cursor behind PgBouncer, with the setting and
without it, and says which worked: why the setting exists.

The database is one bench/city.py kept (``--keep city`` → city_1000000) or, with ``--database ''``, a
demo district built in a temporary database (dropped afterwards). PgBouncer is Debian's package
(``apt-get install pgbouncer``); it runs as the postgres user on 127.0.0.1:6433 for the run only.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = "postgres://postgres@127.0.0.1:5432/"
BOUNCER_PORT = 6433
QUEUE_URL = "/api/v1/tickets/?queue=to_dispatch"


def log(message: str) -> None:
    print(message, flush=True)


def admin(sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


def backends(database: str) -> int:
    rows = admin(
        f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}' AND backend_type = 'client backend'"
    )
    return int(rows[0][0])


def django_for(url: str, disable_cursors: bool) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DB_DISABLE_SERVER_SIDE_CURSORS"] = "1" if disable_cursors else "0"
    os.environ["CONN_MAX_AGE"] = "600"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def dispatcher() -> Any:
    from jishiyu.accounts.models import User
    from jishiyu.accounts.roles import Role
    from jishiyu.demo.builder import demo_phone

    return User.objects.get(phone=demo_phone(Role.STREET_DISPATCHER))


def client_loop(url: str, disable_cursors: bool, seconds: float, start_at: float, out: Any) -> None:
    """One worker process: the queue API as fast as it answers until the time is up."""
    django_for(url, disable_cursors)
    from django.test import Client

    client = Client()
    client.force_login(dispatcher())
    client.get(QUEUE_URL)  # warm: connection, caches
    while time.time() < start_at:
        time.sleep(0.01)
    latencies, errors = [], 0
    end = start_at + seconds
    while time.time() < end:
        t = time.perf_counter()
        status = client.get(QUEUE_URL).status_code
        latencies.append((time.perf_counter() - t) * 1000)
        errors += status != 200
    out.put((latencies, errors))


def load(url: str, database: str, disable_cursors: bool, clients: int, seconds: float) -> dict[str, float]:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    start_at = time.time() + 15 + clients * 0.4  # every process set up and warm before the clock starts
    procs = [
        ctx.Process(target=client_loop, args=(url, disable_cursors, seconds, start_at, out)) for _ in range(clients)
    ]
    for p in procs:
        p.start()
    peak = 0
    while time.time() < start_at + seconds:
        peak = max(peak, backends(database))
        time.sleep(0.25)
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    latencies = sorted(x for lat, _e in results for x in lat)
    errors = sum(e for _lat, e in results)
    return {
        "rps": len(latencies) / seconds,
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p95": latencies[int(len(latencies) * 0.95)] if latencies else 0.0,
        "backends": float(peak),
        "errors": float(errors),
    }


def start_bouncer(database: str, pool: int, folder: Path) -> subprocess.Popen[bytes]:
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).exists():
        sys.exit("pgbouncer is not installed: apt-get install pgbouncer")
    (folder / "userlist.txt").write_text('"postgres" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"""[databases]
{database} = host=127.0.0.1 port=5432 dbname={database}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {BOUNCER_PORT}
unix_socket_dir =
auth_type = trust
auth_file = {folder}/userlist.txt
pool_mode = transaction
default_pool_size = {pool}
max_client_conn = 1000
ignore_startup_parameters = extra_float_digits,options
logfile = {folder}/pgbouncer.log
pidfile = {folder}/pgbouncer.pid
"""
    )
    folder.chmod(0o777)
    for f in folder.iterdir():
        f.chmod(0o666)
    command = [binary, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "postgres"]  # it refuses to run as root
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(50):
        try:
            import psycopg

            psycopg.connect(f"postgres://postgres@127.0.0.1:{BOUNCER_PORT}/{database}").close()
            return proc
        except Exception:
            time.sleep(0.2)
    proc.terminate()
    sys.exit(f"pgbouncer did not start: {(folder / 'pgbouncer.log').read_text()[-800:]}")


def export_probe(url: str, disable_cursors: bool, out: Any) -> None:
    """Stream the people export's rows through a server-side cursor (QuerySet.iterator) behind PgBouncer."""
    try:
        django_for(url, disable_cursors)
        from jishiyu.tickets.models import Ticket

        n = 0
        for _row in Ticket.objects.order_by("pk").values_list("pk", "content").iterator(chunk_size=2000):
            n += 1
            if n >= 20_000:
                break
        out.put(f"{n:,} rows streamed")
    except Exception as exc:
        out.put(f"failed: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")


def probe(url: str, disable_cursors: bool) -> str:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    p = ctx.Process(target=export_probe, args=(url, disable_cursors, out))
    p.start()
    p.join(timeout=300)
    return str(out.get(timeout=5)) if not out.empty() else "no answer"


def demo_database() -> str:
    name = f"bench_bouncer_{uuid.uuid4().hex[:8]}"
    admin(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": PG + name}
    for args in (["migrate", "-v0"], ["demo_district", "--residents", "300"]):
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True)
    return name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="city_1000000")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--pool", type=int, default=8)
    args = parser.parse_args()
    made = ""
    database = args.database
    if not database or not admin(f"SELECT 1 FROM pg_database WHERE datname = '{database}'"):
        log(f"no database {database!r}: building a demo district")
        database = made = demo_database()
    folder = Path(tempfile.mkdtemp(prefix="bench-bouncer-"))
    bouncer = start_bouncer(database, args.pool, folder)
    direct_url = PG + database
    pooled_url = f"postgres://postgres@127.0.0.1:{BOUNCER_PORT}/{database}"
    try:
        log(f"{database}: {args.clients} processes × {args.seconds:.0f} s on {QUEUE_URL}, pool {args.pool}")
        rows = {}
        rows["direct (baseline)"] = load(direct_url, database, False, args.clients, args.seconds)
        rows["PgBouncer, transaction mode"] = load(pooled_url, database, True, args.clients, args.seconds)
        log(f"{'':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'PG backends':>12} {'errors':>7}")
        for name, r in rows.items():
            log(f"{name:32} {r['rps']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['backends']:12.0f} {r['errors']:7.0f}")
        log("server-side cursor behind PgBouncer (transaction mode):")
        log(f"  DB_DISABLE_SERVER_SIDE_CURSORS=1: {probe(pooled_url, True)}")
        log(f"  DB_DISABLE_SERVER_SIDE_CURSORS=0: {probe(pooled_url, False)}")
    finally:
        bouncer.terminate()
        bouncer.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
        if made:
            admin(f'DROP DATABASE IF EXISTS "{made}" WITH (FORCE)')


if __name__ == "__main__":
    main()
