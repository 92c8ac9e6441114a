"""{% load qr %} … {% qr_svg value label %}: an inline SVG QR code (jishiyu.core.qr).

A value starting with "/" is a path of this site: it becomes an absolute address of the host the page was
asked on, so a code printed at a roadshow opens on any donor's phone."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from jishiyu.core.qr import qr_svg as draw

register = template.Library()


@register.simple_tag(takes_context=True)
def qr_svg(context: dict[str, Any], value: str, label: str = "") -> SafeString:
    value = str(value)
    request = context.get("request")
    if value.startswith("/") and request is not None:
        value = request.build_absolute_uri(value)
    return draw(value, label=label)
