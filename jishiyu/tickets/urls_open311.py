"""Open311 GeoReport v2 under /open311/v2/: the format is the extension (.json or .xml)."""

from __future__ import annotations

from django.urls import URLPattern, re_path

from jishiyu.tickets import open311

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns: list[URLPattern] = [
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    re_path(r"^services" + FMT, open311.service_list, name="service-list"),
    re_path(r"^services/(?P<service_code>[^/]+?)" + FMT, open311.service_definition, name="service-detail"),
    re_path(r"^requests" + FMT, open311.requests, name="request-list"),
    re_path(r"^requests/(?P<service_request_id>[^/]+?)" + FMT, open311.request_detail, name="request-detail"),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FMT, open311.token_detail, name="token-detail"),
]
