"""Per-process memos of small configuration tables read on every request (备忘: 配置缓存).

Intake reads the same few rows for every ticket (the source holding a key, the category catalogue, the
time-limit policies, the holiday table). A ``Memo`` keeps what its loader built from them in the
process and builds it again when:

1. a watched row is saved or deleted in this process (``clear()``, called by the app's receivers at
   once and again after commit, so a reader between the write and the commit cannot keep old rows);
2. another process changed one: ``clear()`` also bumps a version in the shared cache (Redis when
   ``REDIS_URL`` is set), which every process checks at most every ``CHECK_SECONDS``;
3. it is older than ``max_age`` seconds: with a per-process cache backend (the default locmem) the
   version bump does not reach other processes, so that age bounds how stale they can be.

Memos are registered by name; ``clear_all()`` drops every one (the test suite calls it between tests,
whose rolled-back rows fire no signals)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

CHECK_SECONDS = 1.0
DEFAULT_MAX_AGE = 10.0

_registry: dict[str, Memo[Any]] = {}


class Memo(Generic[T]):
    """``memo.get()`` returns the loader's value, built again after a change (see the module)."""

    def __init__(self, name: str, loader: Callable[[], T], *, max_age: float = DEFAULT_MAX_AGE) -> None:
        self.name = name
        self.loader = loader
        self.max_age = max_age
        self._key = f"memo:{name}:version"
        self._lock = threading.Lock()
        self._value: T | None = None
        self._loaded = False
        self._built_at = 0.0
        self._checked = 0.0
        self._version: Any = None
        _registry[name] = self

    def get(self) -> T:
        now = time.monotonic()
        if self._loaded and now - self._built_at < self.max_age:
            if now - self._checked < CHECK_SECONDS:
                return self._value  # type: ignore[return-value]
            self._checked = now
            if cache.get(self._key, 0) == self._version:
                return self._value  # type: ignore[return-value]
        with self._lock:
            version = cache.get(self._key, 0)
            value = self.loader()
            self._value, self._version, self._loaded = value, version, True
            self._built_at = self._checked = time.monotonic()
            return value

    def drop(self) -> None:
        """Forget the value in this process only."""
        self._loaded = False
        self._value = None

    def clear(self) -> None:
        """A watched row changed: forget it here and tell the other processes, now and after commit."""
        self._bump()
        transaction.on_commit(self._bump)

    def _bump(self) -> None:
        self.drop()
        try:
            cache.incr(self._key)
        except ValueError:
            cache.set(self._key, 1, None)


def clear_all() -> None:
    """Forget every memo in this process (tests)."""
    for memo in _registry.values():
        memo.drop()
