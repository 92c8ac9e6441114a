"""What a locked-out account sees (django-axes)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jishiyu.core.masking import mask_phone

LOCKED_OUT = "account_locked"


def locked_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("Too many failed attempts: this account is locked for %(minutes)d minutes.") % {"minutes": minutes}


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"type": "about:blank", "title": locked_message(), "status": 429, "code": LOCKED_OUT},
            status=429,
            content_type="application/problem+json",
        )
    return render(request, "accounts/locked.html", {"message": locked_message()}, status=429)


def client_str(username: str | None, ip_address: str | None, user_agent: str, path_info: str, request: Any) -> str:
    """What axes writes to the log about a client: the masked number and the address, never the plain phone."""
    return f"{{username: {mask_phone(username or '')!r}, ip_address: {ip_address!r}}}"
