"""Two server processes on PostgreSQL and Redis (issue 14): a region renamed through one is resolved by its new
name in the other within the gazetteer's bound (its version is checked in the shared cache once a second).

Runs in CI's PostgreSQL leg (the machine's redis-server on 127.0.0.1:6379, database 14); skipped on SQLite or
without Redis or gunicorn."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from conftest import PASSWORD

REDIS_URL = "redis://127.0.0.1:6379/14"
BOUND_SECONDS = 5.0  # the gazetteer checks the shared version every second; a request's own time on top
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _redis_up() -> bool:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.flushdb()
        return True
    except Exception:
        return False


def _call(method: str, url: str, body: Any = None, token: str = "") -> tuple[int, Any]:
    """One JSON request (the standard library's client: the test needs nothing more)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[str]]:
    if connection.vendor != "postgresql":
        pytest.skip("two processes share a PostgreSQL database (CI's second leg)")
    if not GUNICORN.exists() or not _redis_up():
        pytest.skip("needs gunicorn and redis-server on 127.0.0.1:6379")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "DEBUG": "1",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY,
    }
    processes, urls = [], []
    for _ in range(2):
        port = _free_port()
        log = (tmp_path / f"gunicorn-{port}.log").open("w")
        processes.append(
            subprocess.Popen(
                [str(GUNICORN), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"{url}/accounts/login/", timeout=10).close()
                    break
                except OSError:  # not listening yet, or still starting
                    time.sleep(0.2)
            else:
                logs = "".join(p.read_text() for p in tmp_path.glob("gunicorn-*.log"))
                pytest.fail(f"{url} did not start:\n{logs[-2000:]}")
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def _resolve(url: str, token: str, address: str) -> Any:
    status, body = _call("POST", f"{url}/api/v1/regions/resolve", {"address": address}, token)
    assert status == 200, body
    return body["region"]


@pytest.mark.django_db(transaction=True)  # the servers read what is committed
def test_a_region_renamed_through_one_process_is_found_by_its_new_name_in_the_other(
    personas: Any, tree: Any, servers: list[str]
) -> None:
    first, second = servers
    admin = personas["district_admin"]
    # the suite's fast test hasher is not among the servers' hashers: store the password as they expect it
    admin.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    admin.save(update_fields=["password"])
    status, body = _call("POST", f"{first}/api/v1/auth/token", {"phone": admin.phone, "password": PASSWORD})
    assert status == 200, body
    token = body["token"]
    assert _resolve(second, token, "雨花台区雨花街道凤台社区")["id"] == tree.sibling_community.pk  # its index built

    status, body = _call("PATCH", f"{first}/api/v1/regions/{tree.sibling_community.pk}", {"name": "凤凰台社区"}, token)
    assert status == 200, body
    started = time.monotonic()
    seen = None
    while time.monotonic() - started < BOUND_SECONDS:
        region = _resolve(second, token, "雨花台区雨花街道凤凰台社区")
        if region and region["id"] == tree.sibling_community.pk and region["name"] == "凤凰台社区":
            seen = time.monotonic() - started
            break
        time.sleep(0.2)
    assert seen is not None, f"the second process still did not know the new name after {BOUND_SECONDS} s"
