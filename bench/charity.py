#!/usr/bin/env python
"""Benchmark of claiming at a roadshow (not part of make test): claim latency with 100 concurrent
claimers over HTTP on loopback, beside a bare Django view measured in the same run.

    python bench/charity.py [--claimers 100] [--rounds 5] [--workers 4] [--threads 8] [--database-url URL]

It makes a fresh database (an SQLite file in a temporary directory unless --database-url names
another), migrates it, creates a project need with enough shares for every claim, one small wish and
``--claimers`` donors with API tokens, then starts gunicorn on 127.0.0.1 and runs, with the same
``--claimers`` concurrent client threads:
  1. the baseline: GET /bench/bare/ (a view that returns "ok": Django's own floor in this setup);
  2. POST /api/v1/charity/needs/<id>/claims, ``--rounds`` claims per donor, all on one share need
     (every claim waits for the one before: a single row is the counter), then spread over 20 needs
     (a roadshow's usual shape);
  3. one simultaneous claim per donor on the small wish (it must have exactly one winner).
It prints p50 / p95 / max per step. The goal is a claim p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
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
    shares_total=CLAIMERS * ROUNDS, share_fen=100, posted_by=staff).pk for j in range(20)]
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


def run_concurrently(jobs: list[list[tuple[str, str | None, bytes | None]]]) -> tuple[list[float], list[int]]:
    """One thread per list of requests, all released at once; returns latencies (ms) and statuses."""
    barrier = threading.Barrier(len(jobs))
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(mine: list[tuple[str, str | None, bytes | None]]) -> None:
        barrier.wait()
        for url, token, body in mine:
            ms, status = request(url, token, body)
            with lock:
                latencies.append(ms)
                statuses.append(status)

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, statuses


def summary(name: str, latencies: list[float], statuses: list[int]) -> None:
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    codes = {code: statuses.count(code) for code in sorted(set(statuses))}
    print(
        f"{name:<34} n={len(ordered):>4}  p50={statistics.median(ordered):7.1f} ms  "
        f"p95={p95:7.1f} ms  max={ordered[-1]:7.1f} ms  statuses={codes}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claimers", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
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
        stderr=subprocess.DEVNULL,  # "Bad Request" lines of the 99 losing claims
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
        # Warm up: each gunicorn worker loads Django (and the API) on its first requests.
        warm = f"{base}/api/v1/charity/needs/{data['share']}"
        run_concurrently([[(f"{base}/bench/bare/", None, None), (warm, None, None)] * 3 for _ in tokens])
        bare = [[(f"{base}/bench/bare/", None, None)] * args.rounds for _ in tokens]
        summary("baseline: bare Django view (GET)", *run_concurrently(bare))
        claim_url = f"{base}/api/v1/charity/needs/{data['share']}/claims"
        body = json.dumps({"shares": 1}).encode()
        claims = [[(claim_url, token, body)] * args.rounds for token in tokens]
        summary("claim a share, all on one need", *run_concurrently(claims))
        spread = data["spread"]
        claims = [
            [(f"{base}/api/v1/charity/needs/{spread[i % len(spread)]}/claims", token, body)] * args.rounds
            for i, token in enumerate(tokens)
        ]
        summary("claim a share, across 20 needs", *run_concurrently(claims))
        wish_url = f"{base}/api/v1/charity/needs/{data['wish']}/claims"
        latencies, statuses = run_concurrently([[(wish_url, token, body)] for token in tokens])
        summary("race for one small wish (POST)", latencies, statuses)
        print(f"small wish winners: {statuses.count(201)} (must be 1)")
    finally:
        server.terminate()
        server.wait(timeout=10)
        tmp.cleanup()


if __name__ == "__main__":
    main()
