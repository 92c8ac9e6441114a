from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def display(request: HttpRequest) -> dict[str, Any]:
    """Elder-friendly display is a user setting (or a cookie for visitors)."""
    user = getattr(request, "user", None)
    elder = bool(getattr(user, "elder_mode", False)) or request.COOKIES.get("elder") == "1"
    return {"elder_mode": elder, "SITE_NAME": settings.SITE_NAME}
