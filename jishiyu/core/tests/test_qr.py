"""QR codes as inline SVG: one <svg>, scalable, labelled, and a site path made absolute for the asking host."""

from __future__ import annotations

from django.template import Context, Template
from django.test import RequestFactory

from jishiyu.core.qr import qr_svg


def test_a_qr_code_is_one_scalable_svg_with_an_escaped_title() -> None:
    svg = qr_svg("https://example.org/charity/needs/7/", label="助听器 <A&B>")
    assert svg.startswith('<svg role="img"') and svg.endswith("</svg>")
    assert 'viewBox="' in svg and "width=" not in svg.split(">", 1)[0]
    assert "<title>助听器 &lt;A&amp;B&gt;</title>" in svg


def test_the_tag_makes_a_site_path_absolute_for_the_host_asked() -> None:
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    html = Template('{% load qr %}{% qr_svg "/charity/needs/7/" "x" %}').render(Context({"request": request}))
    assert html == qr_svg("http://testserver/charity/needs/7/", label="x")
    assert html != qr_svg("/charity/needs/7/", label="x")
