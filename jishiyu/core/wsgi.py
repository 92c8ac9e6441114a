"""The WSGI application with a machine lane (机器通道).

Machines that push work to the district (the city's 12345 platform, Open311 clients) authenticate each
request with a key of their own: no session, no cookie, no page. Sending their requests through the
fifteen middleware a signed-in person needs (sessions, CSRF, idle timeout, password expiry, lock-out,
CSP, messages, htmx …) cost about a fifth of a push. Requests whose path starts with one of
``settings.MACHINE_PATH_PREFIXES`` are therefore handled by a second Django handler built with
``settings.MACHINE_MIDDLEWARE`` (security headers, host check, language, an anonymous user for the audit
context); every other request takes the full stack. Both handlers share the same URLconf, views and
error handling, so a machine route behaves the same on either lane, only cheaper.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler


class _LaneHandler(WSGIHandler):
    """Django's WSGI handler, with a middleware list of its own."""

    def __init__(self, middleware: list[str]) -> None:
        self._middleware = list(middleware)
        super().__init__()

    def load_middleware(self, is_async: bool = False) -> None:
        # Django's loader reads settings.MIDDLEWARE; hand it this lane's list while it builds the chain
        # (once, when the process starts, before any request).
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = self._middleware
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


class LanedApplication:
    """A WSGI callable sending machine paths to the lean handler and the rest to the full one."""

    def __init__(self) -> None:
        self.full = WSGIHandler()
        self.machine = _LaneHandler(settings.MACHINE_MIDDLEWARE)
        self.prefixes = tuple(settings.MACHINE_PATH_PREFIXES)

    def handler_for(self, path: str) -> WSGIHandler:
        return self.machine if self.prefixes and path.startswith(self.prefixes) else self.full

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return self.handler_for(environ.get("PATH_INFO", ""))(environ, start_response)


def get_wsgi_application() -> LanedApplication:
    """Like ``django.core.wsgi.get_wsgi_application``, with the machine lane."""
    django.setup(set_prefix=False)
    return LanedApplication()
