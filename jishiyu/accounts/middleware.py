"""Idle session timeout (等保2.0: ≤ 30 minutes). The session cookie age already expires an idle
session; this middleware also ends a session whose last activity is older than the policy when
the cookie outlives it (e.g. a browser kept open)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

LAST_SEEN_KEY = "_last_seen"


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            limit = settings.SECURITY_POLICY["idle_timeout_minutes"] * 60
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - float(last) > limit:
                logout(request)
            else:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """A staff member whose password is older than the policy must change it before anything else."""

    FLAG = "_password_expired"
    ALLOWED_PREFIXES = ("/accounts/password/", "/accounts/logout/", "/static/", "/i18n/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and hasattr(request, "session")
            and request.session.get(self.FLAG)
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            return redirect("accounts:password-change")
        return self.get_response(request)
