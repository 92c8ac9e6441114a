"""Where the workbench links to. Some lists belong to apps still being built: a link is resolved by URL
name when the app provides it, else it points at the app's root path (which it mounts in config/urls.py)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def url_or(name: str, fallback: str, query: str = "") -> str:
    try:
        url = reverse(name)
    except NoReverseMatch:
        url = fallback
    return f"{url}?{query}" if query else url
