"""Makes the signed-in user and their address known to the audit recorder for this request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jishiyu.audit.context import actor_context


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        with actor_context(user, ip=request.META.get("REMOTE_ADDR")):
            return self.get_response(request)
