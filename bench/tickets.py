#!/usr/bin/env python
"""Benchmark of ticket intake (not part of make test): 12345 push and Open311 POST over HTTP, batch import.

    python bench/tickets.py [--backends sqlite,postgresql] [--requests 2000] [--threads 16] [--rows 5000] [--quick]

For each backend, in a child process of its own, it makes a fresh database (an SQLite file in a temporary
directory; a temporary PostgreSQL database on postgres://postgres@127.0.0.1:5432/, dropped afterwards),
migrates it, creates a minimal district (district → street → community → grid), a district admin, a street
dispatcher, a 12345 source and an Open311 source with known keys (``hotline.source_create``), then starts
two gunicorn servers on 127.0.0.1 (2 sync workers each, DEBUG=0):
  - the project (config.wsgi) with a generated SECRET_KEY and FIELD_ENCRYPTION_KEY;
  - the baseline: ``baseline_app`` below, Django with minimal settings (no apps, no middleware, no database)
    and one view that parses the body and answers a JsonResponse — "Django without our work".
It then sends, ``--threads`` at a time (an asyncio client over plain sockets; ``--client urllib`` for a pool of
urllib threads), ``--requests`` requests per step (a step stops
after ``--seconds``) and prints requests/s, p50 / p95 latency and the CPU milliseconds per request of the
server (gunicorn), of the database server (PostgreSQL's processes; 0 on SQLite, which runs inside the
server) and of the client here (from /proc: the figures that move least when other work shares the
machine, and that show how the two cores were shared). ``--workers`` and ``--server-threads`` size gunicorn.
  (a) POST /api/v1/hotline/tickets (X-Source-Key, JSON, distinct external_ids), beside the baseline fed the
      same JSON bodies;
  (b) POST /open311/v2/requests.json (form-encoded, api_key), beside the baseline fed the same forms;
  (c) the batch import of a generated 12345 .csv of ``--rows`` rows through jishiyu.core.imports, in this
      process (import_job_create + import_job_run as the worker runs it, gazetteer loaded), rows/s;
  (d) the intake analysis the pushes queued (words, suggestion, duplicate check: the huey task's work),
      run here on the waiting tickets, tickets/s: how fast one worker catches up. The bench's pushes all
      report the same lamp at the same place, so every check has its full 200 candidates (the worst case).
It also prints the SQL statements of one push, one re-delivery and one Open311 POST (in process, warm),
and the CPU ceiling: how many requests/s the server's CPU per request would allow on this machine alone.
Goal (issue 3): at least 300 pushed tickets/s over HTTP on this 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import concurrent.futures
import csv
import io
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
CLIENT = "asyncio"  # or "urllib" (--client)
HOTLINE_KEY = "bench-12345-key-" + "k" * 16
OPEN311_KEY = "bench-open311-key-" + "k" * 16
CATEGORY_NAME, SERVICE_CODE = "路灯", "C0105"  # from the catalogue loaded by tickets' migration 0002

# --- the baseline server: Django without our work ------------------------------------------------------

_baseline_handler: Any = None


def _bare_view(request: Any) -> Any:
    from django.http import JsonResponse

    is_json = request.content_type == "application/json"
    data = json.loads(request.body or b"{}") if is_json else request.POST.dict()
    return JsonResponse({"id": 1, "external_id": str(data.get("external_id", "")), "status": "accepted"}, status=201)


def baseline_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """WSGI app of the baseline gunicorn: minimal Django settings, one URL, one JSON view."""
    global _baseline_handler
    if _baseline_handler is None:
        from django.conf import settings
        from django.urls import re_path

        settings.configure(
            DEBUG=False,
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=["127.0.0.1"],
            ROOT_URLCONF=__name__,
            INSTALLED_APPS=[],
            MIDDLEWARE=[],
            DATABASES={},
            USE_TZ=True,
        )
        import django
        from django.core.wsgi import get_wsgi_application

        django.setup()
        globals()["urlpatterns"] = [re_path(r"", _bare_view)]
        _baseline_handler = get_wsgi_application()
    return _baseline_handler(environ, start_response)  # type: ignore[no-any-return]


# --- HTTP client ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def send(url: str, body: bytes, headers: dict[str, str]) -> tuple[float, int]:
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    return (time.perf_counter() - started) * 1000, status


def proc_cpu_seconds(match: Callable[[int, int, str], bool]) -> float:
    """CPU time (user + system) used so far by the live processes ``match(pid, ppid, name)`` picks, from
    /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, tail = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = tail.split()
        if match(int(entry.name), int(fields[1]), head.split("(", 1)[-1]):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def cpu_seconds(server: subprocess.Popen[bytes]) -> float:
    """CPU time used so far by a gunicorn master and its workers."""
    return proc_cpu_seconds(lambda pid, ppid, name: server.pid in (pid, ppid))


def db_cpu_seconds() -> float:
    """CPU time used so far by the PostgreSQL server's processes (its backends stay: connections persist)."""
    return proc_cpu_seconds(lambda pid, ppid, name: name == "postgres")


class Result:
    def __init__(self, latencies: list[float], statuses: list[int], wall: float):
        self.latencies, self.statuses, self.wall = sorted(latencies), statuses, wall
        self.cpu_ms = float("nan")  # server CPU per request, set by ``timed``
        self.db_ms = float("nan")  # the database server's CPU per request (PostgreSQL)
        self.client_ms = float("nan")  # this process's CPU per request: the load generator's share

    @property
    def ok(self) -> int:
        return sum(1 for s in self.statuses if 200 <= s < 300)

    @property
    def rate(self) -> float:
        return self.ok / self.wall if self.wall else 0.0

    def p(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        return self.latencies[max(0, int(len(self.latencies) * q) - 1)]

    @property
    def codes(self) -> dict[int, int]:
        return {code: self.statuses.count(code) for code in sorted(set(self.statuses))}


def hammer(
    url: str, bodies: Callable[[int], bytes], headers: dict[str, str], n: int, threads: int, seconds: float
) -> Result:
    """``n`` POSTs with ``threads`` requests in flight; requests not started after ``seconds`` are skipped.

    The client is asyncio over plain sockets with each request's bytes built in advance (one connection
    per request, ``Connection: close``, as gunicorn's sync workers answer): about a third of the CPU a
    thread pool of urllib clients spent per request, CPU that the two cores' server no longer loses to
    its own load generator (``--client urllib`` keeps the old client)."""
    if CLIENT == "urllib":
        return _hammer_urllib(url, bodies, headers, n, threads, seconds)
    parts = urllib.parse.urlsplit(url)
    host, port, path = parts.hostname or "127.0.0.1", parts.port or 80, parts.path or "/"
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())

    def raw(i: int) -> bytes:
        body = bodies(i)
        start = f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{head}"
        return f"{start}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body

    requests = [raw(i) for i in range(n)]
    latencies: list[float] = []
    statuses: list[int] = []

    async def run() -> float:
        gate = asyncio.Semaphore(threads)
        started = time.perf_counter()
        deadline = started + seconds

        async def one(request: bytes) -> None:
            async with gate:
                if time.perf_counter() > deadline:
                    return
                began = time.perf_counter()
                reader, writer = await asyncio.open_connection(host, port)
                writer.write(request)
                answer = await reader.read()  # to EOF: the server closes after answering
                writer.close()
                latencies.append((time.perf_counter() - began) * 1000)
                statuses.append(int(answer[9:12]) if answer.startswith(b"HTTP/") else 0)

        await asyncio.gather(*(one(r) for r in requests))
        return time.perf_counter() - started

    wall = asyncio.run(run())
    return Result(latencies, statuses, wall)


def _hammer_urllib(
    url: str, bodies: Callable[[int], bytes], headers: dict[str, str], n: int, threads: int, seconds: float
) -> Result:
    """The first client: a pool of ``threads`` threads, each request through urllib."""
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def one(i: int) -> None:
        if time.perf_counter() > deadline:
            return
        ms, status = send(url, bodies(i), headers)
        with lock:
            latencies.append(ms)
            statuses.append(status)

    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, range(n)))
    return Result(latencies, statuses, time.perf_counter() - started)


def timed(server: subprocess.Popen[bytes], step: Callable[[], Result]) -> Result:
    """Run a step and note the CPU milliseconds per request of the server, of the database server and of
    this client: unlike the rate, these hardly move when other work shares the machine, and together they
    show how the cores were shared."""
    before, db_before, client_before = cpu_seconds(server), db_cpu_seconds(), time.process_time()
    result = step()
    count = max(1, len(result.statuses))
    result.cpu_ms = (cpu_seconds(server) - before) * 1000 / count
    result.db_ms = (db_cpu_seconds() - db_before) * 1000 / count
    result.client_ms = (time.process_time() - client_before) * 1000 / count
    return result


# --- one backend, in a child process --------------------------------------------------------------------


def push_body(external_id: str) -> bytes:
    return json.dumps(
        {
            "external_id": external_id,
            "received_at": "2025-03-03T09:15:00+08:00",
            "caller": {"name": "王先生", "phone": "13912345678"},
            "kind": "投诉",
            "category": CATEGORY_NAME,
            "content": f"{external_id}：翠竹园小区5栋门口路灯不亮已一周。",
            "address": "雨花街道翠竹园小区5栋",
            "urgency": "normal",
        },
        ensure_ascii=False,
    ).encode()


def open311_body(i: int) -> bytes:
    return urllib.parse.urlencode(
        {
            "api_key": OPEN311_KEY,
            "service_code": SERVICE_CODE,
            "description": f"第{i}号：小区门口路灯不亮。",
            "address_string": "雨花街道翠竹园小区5栋",
            "first_name": "明",
            "last_name": "李",
            "phone": "13912345678",
        }
    ).encode()


def import_csv(rows: int, tag: str) -> bytes:
    from jishiyu.tickets.importers import HotlineTicketImporter

    headers = [c.header for c in HotlineTicketImporter.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for n in range(rows):
        values = {
            "工单编号": f"NJ-{tag}-{n:06d}",
            "来电时间": "2025-03-03 09:15",
            "来电人": "王先生",
            "联系电话": f"139{n:08d}",
            "是否匿名": "否",
            "是否保密": "否",
            "诉求类型": "投诉",
            "诉求分类": CATEGORY_NAME,
            "诉求内容": f"第{n}号：小区路灯不亮",
            "事发地址": "雨花街道翠竹园小区",
            "紧急程度": "一般",
        }
        writer.writerow([values.get(h, "") for h in headers])
    return buffer.getvalue().encode("utf-8-sig")


def start_server(
    app: str, env: dict[str, str], cwd: Path, workers: int = 2, threads: int = 1
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    gunicorn = str(Path(PYTHON).parent / "gunicorn")
    args = [gunicorn, app, "-b", f"127.0.0.1:{port}", "-w", str(workers), "--log-level", "warning"]
    if threads > 1:
        args += ["--threads", str(threads)]
    server = subprocess.Popen(args, env=env, cwd=cwd, stderr=subprocess.DEVNULL)
    return server, f"http://127.0.0.1:{port}"


def wait_up(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"server for {url} exited with {server.returncode}")
        try:
            send(url, b"{}", {"Content-Type": "application/json"})
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server for {url} did not start")


def run_backend(args: argparse.Namespace) -> None:
    backend = args.backend
    tmp = tempfile.TemporaryDirectory(prefix="bench-tickets-")
    pg_name = f"bench_intake_{uuid.uuid4().hex[:8]}"
    if backend == "sqlite":
        database_url = f"sqlite:///{tmp.name}/bench.sqlite3"
    else:
        import psycopg

        with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')  # type: ignore[arg-type]
        database_url = PG_SERVER + pg_name
    keys = {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "FIELD_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "TESTING": "0",
        "HUEY_IMMEDIATE": "0",
        "HUEY_FILE": f"{tmp.name}/huey.sqlite3",  # the tasks intake queues, never the checkout's queue
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    os.environ.update(keys)
    sys.path.insert(0, str(ROOT))
    servers: list[subprocess.Popen[bytes]] = []
    try:
        measure(args, keys, servers)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=15)
        if backend == "postgresql":
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')  # type: ignore[arg-type]
        tmp.cleanup()


def measure(args: argparse.Namespace, keys: dict[str, str], servers: list[subprocess.Popen[bytes]]) -> None:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from jishiyu.accounts.models import RoleAssignment, User
    from jishiyu.core import imports
    from jishiyu.regions.services import region_create
    from jishiyu.tickets.hotline import source_create
    from jishiyu.tickets.importers import HotlineTicketImporter
    from jishiyu.tickets.models import Channel, Ticket

    district = region_create(kind="district", name="雨花台区")
    street = region_create(kind="street", name="雨花街道", parent=district)
    community = region_create(kind="community", name="翠竹园社区", parent=street, community_kind="commercial")
    region_create(kind="grid", name="翠竹园一网格", parent=community)
    admin = User.objects.create_user(phone="13900009998", password=secrets.token_urlsafe(), name="区管理员")
    RoleAssignment.objects.create(user=admin, role="district_admin", region=district)
    dispatcher = User.objects.create_user(phone="13900009999", password=secrets.token_urlsafe(), name="派单员")
    RoleAssignment.objects.create(user=dispatcher, role="street_dispatcher", region=street)
    source_create(actor=admin, name="南京12345（压测）", channel=Channel.HOTLINE, key=HOTLINE_KEY)
    source_create(actor=admin, name="Open311（压测）", channel=Channel.OPEN311, key=OPEN311_KEY)

    env = {**os.environ, **keys, "PYTHONPATH": str(ROOT)}
    app, app_url = start_server("config.wsgi:application", env, ROOT, args.workers, args.server_threads)
    servers.append(app)
    base_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    base_env["PYTHONPATH"] = str(ROOT / "bench")
    bare, bare_url = start_server("tickets:baseline_app", base_env, ROOT / "bench", args.workers, args.server_threads)
    servers.append(bare)
    wait_up(bare_url + "/", bare)
    wait_up(app_url + "/api/v1/hotline/tickets", app)

    json_headers = {"Content-Type": "application/json; charset=utf-8", "X-Source-Key": HOTLINE_KEY}
    form_headers = {"Content-Type": "application/x-www-form-urlencoded"}
    push_url = app_url + "/api/v1/hotline/tickets"
    open311_url = app_url + "/open311/v2/requests.json"
    n, t, s = args.requests, args.threads, args.seconds
    # Warm up: each worker loads the URLconf, the API and the catalogue on its first requests.
    hammer(push_url, lambda i: push_body(f"WARM-{i}"), json_headers, 4 * t, t, s)
    hammer(open311_url, open311_body, form_headers, 4 * t, t, s)
    hammer(bare_url + "/", lambda i: push_body(f"WARM-{i}"), json_headers, 4 * t, t, s)

    rows: list[tuple[str, Result | None, float, str]] = []
    base_push = timed(bare, lambda: hammer(bare_url + "/", lambda i: push_body(f"NJ-{i:06d}"), json_headers, n, t, s))
    before = Ticket.objects.filter(channel=Channel.HOTLINE).count()
    push = timed(app, lambda: hammer(push_url, lambda i: push_body(f"NJ-{i:06d}"), json_headers, n, t, s))
    stored = Ticket.objects.filter(channel=Channel.HOTLINE).count() - before
    rows += [("baseline: bare Django JSON POST", base_push, base_push.rate, "req/s")]
    rows += [("(a) 12345 push POST", push, push.rate, "tickets/s")]
    base_form = timed(bare, lambda: hammer(bare_url + "/", open311_body, form_headers, n, t, s))
    o311 = timed(app, lambda: hammer(open311_url, open311_body, form_headers, n, t, s))
    rows += [("baseline: bare Django form POST", base_form, base_form.rate, "req/s")]
    rows += [("(b) Open311 POST requests.json", o311, o311.rate, "req/s")]

    # (d) what the huey worker does after each push (words, suggestion, duplicate check), timed here on
    # the tickets just pushed: the rate at which a worker catches up with intake.
    from jishiyu.tickets.analysis import tickets_analyse

    waiting = list(Ticket.objects.filter(analysed_at__isnull=True).values_list("pk", flat=True))
    started = time.perf_counter()
    analysed = tickets_analyse(waiting)
    analyse_wall = time.perf_counter() - started
    flagged = Ticket.objects.filter(pk__in=waiting, suspected_duplicate_of__isnull=False).count()

    # A worker has its gazetteer index (and jieba's dictionary) loaded once for all its jobs: so here too.
    from jishiyu.tickets.places import address_region_id

    address_region_id("雨花街道翠竹园小区")
    data = import_csv(args.rows, uuid.uuid4().hex[:6])
    upload = SimpleUploadedFile("12345.csv", data, content_type="text/csv")
    imports._enqueue = lambda job_id: None  # type: ignore[assignment]  # run it here, not on the queue
    started = time.perf_counter()
    job = imports.import_job_create(actor=dispatcher, kind=HotlineTicketImporter.kind, upload=upload)
    job = imports.import_job_run(job.pk)
    wall = time.perf_counter() - started
    rows += [(f"(c) batch import .csv, {args.rows:,} rows", None, job.created / wall, "rows/s")]
    queries = push_queries(dispatcher)

    kind = (
        f"{args.workers} workers × {args.server_threads} threads"
        if args.server_threads > 1
        else f"{args.workers} sync workers"
    )
    print(
        f"\n== {args.backend}: gunicorn {kind} each, {t} requests in flight ({args.client} client), "
        f"{n:,} requests per step"
    )
    print(
        f"  {'step':38} {'n ok':>6} {'rate':>9}          {'p50 ms':>7} {'p95 ms':>7} {'CPU ms':>7} "
        f"{'DB ms':>6} {'client':>6}  statuses"
    )
    for label, result, rate, unit in rows:
        if result is None:
            blank = ""
            print(f"  {label:38} {job.created:>6} {rate:9.1f} {unit:9}  {blank:>37}  {wall:.1f} s, {job.status}")
            continue
        print(
            f"  {label:38} {result.ok:>6} {rate:9.1f} {unit:9}  {statistics.median(result.latencies):7.1f} "
            f"{result.p(0.95):7.1f} {result.cpu_ms:7.2f} {result.db_ms:6.2f} {result.client_ms:6.2f}  {result.codes}"
        )
    rate = analysed / analyse_wall if analyse_wall else 0.0
    print(f"  (d) background analysis of the waiting tickets: {analysed} in {analyse_wall:.1f} s, {rate:.1f} tickets/s")
    print(f"      ({flagged} flagged as duplicates: the bench's pushes all report the same lamp)")
    print(f"  queries per request (in process, warm): {queries}")
    print(f"  push: {stored} tickets stored for {push.ok} successful pushes; import: {job.failed} rows failed")
    print(f"  push / baseline: {push.rate / base_push.rate:.2f}; Open311 / baseline: {o311.rate / base_form.rate:.2f}")
    cores = os.cpu_count() or 1
    print(
        f"  CPU ceiling (server alone on {cores} cores, no client): push {cores * 1000 / push.cpu_ms:.0f}/s, "
        f"Open311 {cores * 1000 / o311.cpu_ms:.0f}/s, baseline {cores * 1000 / base_push.cpu_ms:.0f}/s"
    )
    if job.errors:
        print(f"  first import errors: {job.errors[:3]}")


def push_queries(dispatcher: Any) -> dict[str, int]:
    """SQL statements of one push, one re-delivery and one Open311 POST, through the test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    headers = {"HTTP_X_SOURCE_KEY": HOTLINE_KEY}
    counts: dict[str, int] = {}
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client.post("/api/v1/hotline/tickets", push_body("Q-WARM"), content_type="application/json", **headers)
        for label, body in (("push", push_body("Q-NEW")), ("re-delivery", push_body("Q-NEW"))):
            with CaptureQueriesContext(connection) as captured:
                client.post("/api/v1/hotline/tickets", body, content_type="application/json", **headers)
            counts[label] = len(captured.captured_queries)
        with CaptureQueriesContext(connection) as captured:
            client.post("/open311/v2/requests.json", open311_body(0), content_type="application/x-www-form-urlencoded")
        counts["Open311 POST"] = len(captured.captured_queries)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--backend", default="", help=argparse.SUPPRESS)  # the child's one backend
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each server")
    parser.add_argument("--client", choices=["asyncio", "urllib"], default="asyncio", help="the load generator")
    parser.add_argument("--server-threads", type=int, default=1, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--quick", action="store_true", help="300 requests per step, 1,000 import rows")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.rows = 300, 1000
    global CLIENT
    CLIENT = args.client
    if args.backend:
        run_backend(args)
        return
    print(f"ticket intake benchmark; {os.cpu_count()} CPUs; goal ≥ 300 pushed tickets/s over HTTP")
    for backend in args.backends.split(","):
        child = [PYTHON, __file__, "--backend", backend, "--requests", str(args.requests)]
        child += ["--threads", str(args.threads), "--seconds", str(args.seconds), "--rows", str(args.rows)]
        child += ["--workers", str(args.workers), "--server-threads", str(args.server_threads)]
        child += ["--client", args.client]
        subprocess.run(child, check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
