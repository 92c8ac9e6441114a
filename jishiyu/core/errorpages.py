"""Error answers (错误页): pages for people, RFC 9457 problem details for the API (/api/).

Wired in config/urls.py as handler400/403/404/500. 400 and 500 touch neither the database nor the session,
so they cannot fail in turn: their templates extend templates/errors/base.html, which needs no context
processor, no static file and no URL reversing. 403 and 404 for a signed-in person are drawn inside their
own shell (templates/errors/in_shell.html: the staff menu, or the resident's bars), so the way on is one tap
away; if that page cannot be drawn, the self-contained errors/*_plain.html answers instead. Views that
refuse with a reason of their own (a domain PermissionDenied) answer through :func:`forbidden`."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views import defaults

from jishiyu.core.api import PROBLEM_CONTENT_TYPE

API_PREFIX = "/api/"

logger = logging.getLogger(__name__)


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


def in_shell(request: HttpRequest, status: int, heading: str, message: str) -> HttpResponse | None:
    """The error page inside the signed-in person's shell, or None (not signed in, or it cannot be drawn)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    base = "base.html" if getattr(user, "is_staff_member", False) else "resident_base.html"
    context = {"error_base": base, "error_code": status, "error_heading": heading, "error_message": message}
    try:
        body = render_to_string("errors/in_shell.html", context, request=request)
    except Exception:  # the shell itself failing must not turn a 403/404 into a 500
        logger.exception("the in-shell %s page could not be drawn; the plain page answers", status)
        return None
    return HttpResponse(body, status=status)


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    """The one 403 page for people: the view's own reason when it has one, else the general one."""
    if is_api(request):
        return problem_response(403, message or _("You may not do this."), "permission_denied")
    general = _("Your account may not open this page. If you think it should, ask your administrator.")
    response = in_shell(request, 403, _("Access denied"), message or general)
    if response is None:
        response = HttpResponse(render_to_string("errors/403_plain.html", request=request), status=403)
    return response


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return forbidden(request)


def page_not_found(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    if is_api(request):
        return api_not_found(request)
    message = _(
        "This page does not exist, or it is not within what you may see. Check the address, or start again from"
        " the home page."
    )
    response = in_shell(request, 404, _("Page not found"), message)
    if response is None:
        response = defaults.page_not_found(request, exception or Http404(), template_name="errors/404_plain.html")
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
