#!/usr/bin/env python
"""Benchmark of claiming at a roadshow (not part of make test): claim latency with 100 concurrent
claimers over HTTP on loopback, beside a bare Django view measured in the same run.

    python bench/charity.py [--claimers 100] [--rounds 5] [--rate 20] [--workers 2] [--threads 2]
                            [--database-url URL] [--server-log FILE]

It makes a fresh database (an SQLite file in a temporary directory unless --database-url names
another), migrates it, creates a project need with enough shares for every claim, one small wish and
``--claimers`` donors with API tokens, then starts gunicorn on 127.0.0.1 and measures, each step
beside the bare view (GET /bench/bare/, a view that returns "ok": Django's own floor in this setup):

  1. a roadshow's pace (open loop): the ``--claimers`` donors send ``--rounds`` claims each at random
     moments, ``--rate`` claims a second in all, spread over 20 needs; latency counts from the moment a
     claim was due, so a queue that builds up is not hidden;
  2. saturation (closed loop): every donor claims again as soon as the last claim answered, all on one
     share need (every claim waits for the one before: a single row is the counter), then spread over 20
     needs; here latency is the number of clients divided by the server's throughput, so it is printed
     with the throughput;
  3. one simultaneous claim per donor on the small wish (it must have exactly one winner).

It prints p50 / p95 / max, the throughput and the server's CPU time per request (read from /proc, so
other work on the machine does not inflate it) per step. The goal is a claim p95 under 100 ms at a
roadshow's pace: 20 claims a second by default, every one of the 100 donors claiming within five seconds,
more than a room produces; ``--rate 50`` is a stress point. In the closed loop no Django view can meet
100 ms with 100 clients on 2 cores (the bare view's p50 is already about 100 ms there).

gunicorn: 2 workers (one per core) × 2 threads by default. Claims are CPU-bound Python plus short
writes; more workers than cores only adds switching, and on SQLite every extra thread is one more
writer polling the database lock (SQLite's busy handler sleeps 1–100 ms between tries), which lengthens
the tail (at 50 claims a second the p95 was 1.5 s with 4×8 against 0.19 s with 2×2 here). On PostgreSQL
a few threads let one request run while another waits on the database; ``--threads 4`` is worth trying.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SETUP = """
import hashlib, json, secrets
from datetime import timedelta
from django.utils import timezone
from jishiyu.accounts.models import ApiToken, User
from jishiyu.charity.models import Need, Project
from jishiyu.organisations.models import Organisation
from jishiyu.regions.services import region_create
district = region_create(kind="district", name="雨花台区")
street = region_create(kind="street", name="雨花街道", parent=district)
community = region_create(kind="community", name="翠竹园社区", parent=street, community_kind="commercial")
org = Organisation.objects.create(kind="foundation", name="科菲平基金会", region=district, public_fundraising=True)
staff = User.objects.create_user(phone="13900009999", password=secrets.token_urlsafe(), name="bench")
project = Project.objects.create(name="bench", region=community, runner_kind="community", recipient=org,
    goal="bench", budget_fen=100, beneficiaries="bench", status="published")
share = Need.objects.create(kind="project_need", title="share", project=project, region=community,
    shares_total=CLAIMERS * ROUNDS, share_fen=100, posted_by=staff)
wish = Need.objects.create(kind="small_wish", title="wish", project=project, region=community,
    share_fen=100, posted_by=staff)
spread = [Need.objects.create(kind="project_need", title=f"spread{j}", project=project, region=community,
    shares_total=2 * CLAIMERS * ROUNDS, share_fen=100, posted_by=staff).pk for j in range(20)]
tokens = []
for i in range(CLAIMERS):
    user = User.objects.create_user(phone=f"137{i:08d}", password=None, name=f"donor{i}")
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hashlib.sha256(raw.encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(hours=2))
    tokens.append(raw)
print("BENCH" + json.dumps({"share": share.pk, "wish": wish.pk, "spread": spread, "tokens": tokens}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(url: str, token: str | None = None, body: bytes | None = None) -> tuple[float, int]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=body, headers=headers, method="POST" if body is not None else "GET")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    return (time.perf_counter() - started) * 1000, status


Job = tuple[str, str | None, bytes | None]


def run_concurrently(jobs: list[list[Job]]) -> tuple[list[float], list[int], float]:
    """Closed loop: one thread per list of requests, all released at once, each request sent when the
    one before it answered. Returns latencies (ms), statuses and the wall time (s)."""
    barrier = threading.Barrier(len(jobs) + 1)
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(mine: list[Job]) -> None:
        barrier.wait()
        for url, token, body in mine:
            ms, status = request(url, token, body)
            with lock:
                latencies.append(ms)
                statuses.append(status)

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return latencies, statuses, time.perf_counter() - started


def run_paced(jobs: list[list[Job]], rate: float, seed: int) -> tuple[list[float], list[int], float]:
    """Open loop: every request is due at a random moment (a Poisson stream of ``rate`` a second over
    all clients); a client sends each when it is due, or as soon as its previous one answered if that
    is later. Latency counts from the moment the request was due."""
    rng = random.Random(seed)
    total = sum(len(job) for job in jobs)
    moments = sorted(rng.uniform(0, total / rate) for _ in range(total))
    rng.shuffle(moments)
    schedule: list[list[tuple[float, Job]]] = []
    at = 0
    for job in jobs:
        schedule.append(sorted(zip(moments[at : at + len(job)], job, strict=True), key=lambda pair: pair[0]))
        at += len(job)
    barrier = threading.Barrier(len(jobs) + 1)
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    start = [0.0]

    def worker(mine: list[tuple[float, Job]]) -> None:
        barrier.wait()
        for due, (url, token, body) in mine:
            wait = start[0] + due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            late_ms = max(0.0, time.perf_counter() - start[0] - due) * 1000
            ms, status = request(url, token, body)
            with lock:
                latencies.append(late_ms + ms)
                statuses.append(status)

    threads = [threading.Thread(target=worker, args=(job,)) for job in schedule]
    for t in threads:
        t.start()
    start[0] = time.perf_counter() + 0.05
    barrier.wait()
    for t in threads:
        t.join()
    return latencies, statuses, time.perf_counter() - start[0]


def server_cpu_seconds(master: int) -> float:
    """CPU time (user + system) used so far by gunicorn's master and its workers, from /proc: a figure
    that other work on the machine does not inflate, unlike the latencies."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == master or ppid == master:
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def summary(name: str, latencies: list[float], statuses: list[int], seconds: float, cpu: float) -> None:
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    codes = {code: statuses.count(code) for code in sorted(set(statuses))}
    print(
        f"{name:<34} n={len(ordered):>4}  p50={statistics.median(ordered):7.1f} ms  "
        f"p95={p95:7.1f} ms  max={ordered[-1]:7.1f} ms  {len(ordered) / seconds:5.0f}/s  "
        f"server CPU {cpu * 1000 / len(ordered):5.1f} ms/req  statuses={codes}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claimers", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rate", type=float, default=20.0, help="claims a second in step 1 (open loop)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--server-log", default="", help="write gunicorn's log (errors, tracebacks) to this file")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="charity_site",
        PYTHONPATH=f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
        DATABASE_URL=args.database_url or f"sqlite:///{tmp.name}/bench.sqlite3",
        TESTING="0",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1",
    )
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    setup = SETUP.replace("CLAIMERS", str(args.claimers)).replace("ROUNDS", str(args.rounds))
    out = subprocess.run(
        [*manage, "shell", "-c", setup], env=env, check=False, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        sys.exit(out.stderr)
    data = json.loads(out.stdout[out.stdout.index("BENCH") + 5 :])
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        # By default the log is dropped: it holds a "Bad Request" line per losing claim.
        stderr=open(args.server_log, "w") if args.server_log else subprocess.DEVNULL,  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                request(f"{base}/bench/bare/")
                break
            except OSError:
                time.sleep(0.1)
        engine = "sqlite" if env["DATABASE_URL"].startswith("sqlite") else "postgresql"
        server_shape = f"gunicorn {args.workers}×{args.threads}"
        print(f"charity claim benchmark: {args.claimers} concurrent clients, {server_shape}, {engine}")
        tokens = data["tokens"]
        bare_url = f"{base}/bench/bare/"
        body = json.dumps({"shares": 1}).encode()
        spread = data["spread"]

        def spread_claims() -> list[list[Job]]:
            return [
                [(f"{base}/api/v1/charity/needs/{spread[i % len(spread)]}/claims", token, body)] * args.rounds
                for i, token in enumerate(tokens)
            ]

        # Warm up: each gunicorn worker loads Django (and the API) on its first requests, and each token
        # records its first use (a write made once a minute at most).
        warm = f"{base}/api/v1/charity/needs/{data['share']}"
        mine = f"{base}/api/v1/charity/donations/mine"
        run_concurrently([[(bare_url, None, None), (warm, None, None), (mine, token, None)] * 2 for token in tokens])
        bare: list[list[Job]] = [[(bare_url, None, None)] * args.rounds for _ in tokens]

        def step(name: str, run: Callable[[], tuple[list[float], list[int], float]]) -> list[int]:
            cpu = server_cpu_seconds(server.pid)
            latencies, statuses, seconds = run()
            summary(name, latencies, statuses, seconds, server_cpu_seconds(server.pid) - cpu)
            return statuses

        print(f"-- 1. a roadshow's pace: {args.rate:g} requests a second from {args.claimers} clients (open loop)")
        step("baseline: bare Django view (GET)", lambda: run_paced(bare, args.rate, args.seed))
        step("claim a share, across 20 needs", lambda: run_paced(spread_claims(), args.rate, args.seed))
        print(f"-- 2. saturation: {args.claimers} clients, each sends again when answered (closed loop)")
        step("baseline: bare Django view (GET)", lambda: run_concurrently(bare))
        claim_url = f"{base}/api/v1/charity/needs/{data['share']}/claims"
        claims: list[list[Job]] = [[(claim_url, token, body)] * args.rounds for token in tokens]
        step("claim a share, all on one need", lambda: run_concurrently(claims))
        step("claim a share, across 20 needs", lambda: run_concurrently(spread_claims()))
        print(f"-- 3. {args.claimers} simultaneous claims on one small wish")
        wish_url = f"{base}/api/v1/charity/needs/{data['wish']}/claims"
        statuses = step(
            "race for one small wish (POST)", lambda: run_concurrently([[(wish_url, t, body)] for t in tokens])
        )
        print(f"small wish winners: {statuses.count(201)} (must be 1)")
    finally:
        server.terminate()
        server.wait(timeout=10)
        tmp.cleanup()


if __name__ == "__main__":
    main()
