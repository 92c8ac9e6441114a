"""Open311 GeoReport v2 wire format: JSON and XML bodies and the spec's error lists (格式与错误).

Plain Python values in, an HttpResponse out. Lists become repeated child elements in XML
(``services/service``, ``service_requests/request``, ``errors/error`` …); every value is text there,
and ``None`` is an empty element. Nothing here knows about tickets."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

JSON, XML = "json", "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}

# The element name of each item of a list, by the list's element name (from the spec's examples).
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


class Open311Error(Exception):
    """A request the spec refuses: HTTP status and one description per problem."""

    def __init__(self, status: int, *descriptions: str):
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions) or [""]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    _fill(element, name, value)


def _fill(element: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _append(element, str(key), child)
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        item = ITEM_NAMES.get(name, "item")
        for child in value:
            _append(element, item, child)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    """``root`` element holding ``value`` (a mapping's keys as children, a list's items repeated)."""
    element = ET.Element(root)
    _fill(element, root, value)
    body: bytes = ET.tostring(element, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def render(fmt: str, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    """The body in the requested format; ``root`` names the XML root (JSON has none)."""
    body = to_xml(root, value) if fmt == XML else json.dumps(value, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES[JSON]))


def render_error(fmt: str, error: Open311Error) -> HttpResponse:
    """The spec's error list: ``[{"code", "description"}]`` or ``<errors><error>…``."""
    errors = [{"code": error.status, "description": d} for d in error.descriptions]
    return render(fmt, "errors", errors, status=error.status)
