"""Makes the signed-in user and their address known to the audit recorder for this request."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

from jishiyu.audit.context import actor_context


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        with actor_context(user, ip=request.META.get("REMOTE_ADDR")):
            return self.get_response(request)


class MachineContextMiddleware:
    """The machine lane's stand-in for sessions, authentication and the audit context: a machine signs
    each request with its own key (checked by the view), so the request carries no person; the audit
    recorder still learns the caller's address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = AnonymousUser()
        with actor_context(None, ip=request.META.get("REMOTE_ADDR")):
            return self.get_response(request)
