"""Pages of the kernel that belong to no app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """/favicon.ico, which browsers ask for on every page: the SVG icon among the static files."""
    response = HttpResponseRedirect(static("favicon.svg"))
    response["Cache-Control"] = "max-age=86400"
    return response
