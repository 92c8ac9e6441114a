"""The Redis leg (REDIS_URL set; CI runs it against the machine's redis-server): the cache and huey really go
through Redis, and what one process writes another process reads. Skipped when REDIS_URL is empty."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache

from jishiyu.core import memo as memo_module
from jishiyu.core.memo import Memo

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is empty: the Redis leg runs in CI")

ROOT = Path(__file__).resolve().parents[3]


def other_process(code: str) -> str:
    """Run ``code`` in a fresh Django process with the same settings (another web or worker process)."""
    script = "import django; django.setup()\n" + code
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout.strip()


def test_the_cache_is_redis_and_shared_between_processes() -> None:
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    key = f"test:{uuid.uuid4().hex}"
    cache.set(key, "雨花", 60)
    assert other_process(f"from django.core.cache import cache; print(cache.get({key!r}))") == "雨花"
    other_process(f"from django.core.cache import cache; cache.set({key!r}, 'changed', 60)")
    assert cache.get(key) == "changed"


@pytest.mark.django_db
def test_a_memo_cleared_in_another_process_is_rebuilt_here(monkeypatch: Any) -> None:
    name = f"test.redis.{uuid.uuid4().hex[:8]}"
    loads: list[int] = []
    memo: Memo[int] = Memo(name, lambda: loads.append(1) or len(loads))
    assert memo.get() == 1
    other_process(f"from jishiyu.core.memo import Memo; Memo({name!r}, lambda: 0).clear()")
    monkeypatch.setattr(memo_module, "CHECK_SECONDS", 0.0)
    assert memo.get() == 2


def test_huey_queues_in_redis_and_a_worker_runs_the_task() -> None:
    from huey import RedisHuey
    from huey.contrib.djhuey import HUEY

    assert isinstance(HUEY, RedisHuey)

    @HUEY.task(name=f"test_add_{uuid.uuid4().hex[:8]}")
    def add(a: int, b: int) -> int:
        return a + b

    HUEY.immediate = False
    try:
        HUEY.flush()
        result = add(2, 3)
        assert HUEY.pending_count() == 1  # stored in Redis, waiting for a worker
        task = HUEY.dequeue()
        assert task is not None
        HUEY.execute(task)
        assert result.get() == 5
        assert HUEY.pending_count() == 0
    finally:
        HUEY.flush()
        HUEY.immediate = True
