"""The favicon: browsers ask for /favicon.ico on every page; it must not answer 404."""

from __future__ import annotations

from django.test import Client


def test_favicon_ico_redirects_to_the_svg_icon_among_the_static_files(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
