"""URL wiring only: each app owns its urls.py."""

from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _

from config.api import api
from jishiyu.core import errorpages
from jishiyu.core.views import favicon

admin.site.site_header = _("Jishiyu back office")
admin.site.site_title = _("Jishiyu back office")
admin.site.index_title = _("Back office")

urlpatterns: list[URLPattern | URLResolver] = [
    path("favicon.ico", favicon),
    path("api/v1/", api.urls),
    re_path(r"^api/", errorpages.api_not_found),  # unknown API URLs answer problem+json, not HTML
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("jishiyu.accounts.urls")),
    path("regions/", include("jishiyu.regions.urls")),
    path("people/imports/", include("jishiyu.people.urls_imports")),
    path("people/", include("jishiyu.people.urls")),
    path("me/", include("jishiyu.people.urls_me")),
    path("organisations/", include("jishiyu.organisations.urls")),
    path("audit/", include("jishiyu.audit.urls")),
    path("inbox/", include("jishiyu.notifications.urls")),
    path("tickets/hotline/", include("jishiyu.tickets.urls_hotline")),
    path("tickets/", include("jishiyu.tickets.urls")),
    path("open311/v2/", include("jishiyu.tickets.urls_open311")),
    path("compounds/", include("jishiyu.deliberation.urls")),
    path("charity/", include("jishiyu.charity.urls")),
    path("circles/", include("jishiyu.circles.urls")),
    path("work/", include("jishiyu.workbench.urls")),
    path("dashboard/", include("jishiyu.dashboard.urls")),
    path("", include("jishiyu.portal.urls")),
]
# Uploaded files are never served from MEDIA_URL, not even under DEBUG: each app serves its own through a
# scoped view that types the file by its content (jishiyu.core.uploads).

handler400 = errorpages.bad_request
handler403 = errorpages.permission_denied
handler404 = errorpages.page_not_found
handler500 = errorpages.server_error
