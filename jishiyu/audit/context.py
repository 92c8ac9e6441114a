"""Who is acting, for the audit log: set by the middleware for pages, by the API auth for tokens,
and by services run in the background."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AuditContext:
    actor: Any = None
    ip: str | None = None


_current: ContextVar[AuditContext] = ContextVar("audit_context", default=AuditContext())  # noqa: B039 (frozen)


def current() -> AuditContext:
    return _current.get()


@contextmanager
def actor_context(actor: Any, ip: str | None = None) -> Iterator[None]:
    token = _current.set(AuditContext(actor=actor, ip=ip or current().ip))
    try:
        yield
    finally:
        _current.reset(token)


def set_actor(actor: Any) -> None:
    """For API requests authenticated by token after the middleware ran."""
    _current.set(AuditContext(actor=actor, ip=current().ip))
