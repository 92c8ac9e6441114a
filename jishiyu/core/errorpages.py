"""Error answers (错误页): pages for people, RFC 9457 problem details for the API (/api/).

Wired in config/urls.py as handler400/403/404/500. Nothing here touches the database or the
session, so an error page cannot fail in turn; the page templates extend templates/errors/base.html,
which needs no context processor, no static file and no URL reversing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views import defaults

from jishiyu.core.api import PROBLEM_CONTENT_TYPE

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def problem_response(status: int, title: str, code: str) -> HttpResponse:
    """A problem+json body without the API object (usable from any view, even while failing)."""
    body = {"type": "about:blank", "title": title, "status": status, "code": code}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE)


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any unknown URL under /api/v1/ (a catch-all after the API's own routes, so it answers in JSON
    even with DEBUG on). A GET that only lacks its trailing slash is still redirected, as
    CommonMiddleware would; a POST is never redirected (its body would be lost)."""
    if settings.APPEND_SLASH and request.method in ("GET", "HEAD") and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return problem_response(404, _("Not found."), "not_found")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return problem_response(400, _("Bad request."), "bad_request")
    return defaults.bad_request(request, exception, template_name="400.html")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return problem_response(403, _("You may not do this."), "permission_denied")
    return defaults.permission_denied(request, exception, template_name="403.html")


def page_not_found(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    if is_api(request):
        return api_not_found(request)
    response = defaults.page_not_found(request, exception or Http404(), template_name="404.html")
    response.friendly = True  # type: ignore[attr-defined]
    return response


class FriendlyNotFoundMiddleware:
    """With DEBUG on (the demo that `make run` serves) Django answers a missing page with its technical
    404, which lists every URL pattern to whoever asks. People get the product's own 404 page instead;
    a developer who wants the technical one sets DEBUG_TECHNICAL_404=1. Installed only with DEBUG on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and not getattr(response, "friendly", False)
            and not is_api(request)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return page_not_found(request, None)
        return response


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return problem_response(500, _("Something went wrong on our side. Please try again later."), "server_error")
    return defaults.server_error(request, template_name="500.html")
