"""The self-hosted base map (自建底图): one PMTiles file served by the installation itself, with HTTP ranges.

``MAP_TILES_PMTILES`` names a PMTiles archive on the server's disk (an extract of the district cut with
the ``pmtiles`` tools, raster or vector). The browser's PMTiles reader asks for byte ranges of it (the
header, the directories, one tile at a time), so the view answers single ranges with 206 and the exact
bytes, a range past the end or malformed with 416, and no range with the whole file. Signed-in users only:
no CDN, no tile server, nothing leaves the installation.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_http_methods

CONTENT_TYPE = "application/vnd.pmtiles"
CHUNK = 64 * 1024
_RANGE = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")


def tiles_path() -> Path | None:
    """The configured archive, when it exists."""
    name = getattr(settings, "MAP_TILES_PMTILES", "")
    if not name:
        return None
    path = Path(name)
    return path if path.is_file() else None


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single ``bytes=`` range on a file of ``size`` bytes; None when unsatisfiable
    or malformed. Several ranges are answered with the first (the PMTiles reader asks one at a time)."""
    unit, _sep, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or not spec:
        return None
    match = _RANGE.match(spec.split(",")[0])
    if not match or (not match.group(1) and not match.group(2)):
        return None
    first_text, last_text = match.groups()
    if not first_text:  # suffix: the last N bytes
        n = int(last_text)
        if n == 0 or size == 0:
            return None
        return (max(0, size - n), size - 1)
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if first >= size or last < first:
        return None
    return (first, min(last, size - 1))


def _chunks(path: Path, first: int, length: int):  # type: ignore[no-untyped-def]
    with path.open("rb") as f:
        f.seek(first)
        left = length
        while left > 0:
            block = f.read(min(CHUNK, left))
            if not block:
                break
            left -= len(block)
            yield block


@login_required
@require_http_methods(["GET", "HEAD"])
def pmtiles_file(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """GET/HEAD the PMTiles archive, whole or by range (RFC 9110 §14)."""
    path = tiles_path()
    if path is None:
        raise Http404
    stat = path.stat()
    size = stat.st_size
    etag = quote_etag(f"{int(stat.st_mtime)}-{size}")
    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "")
    response: HttpResponse | StreamingHttpResponse
    if header and (not if_range or if_range == etag):
        span = parse_range(header, size)
        if span is None:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
        else:
            first, last = span
            length = last - first + 1
            response = StreamingHttpResponse(
                [] if request.method == "HEAD" else _chunks(path, first, length), status=206, content_type=CONTENT_TYPE
            )
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
            response["Content-Length"] = str(length)
    elif request.method == "HEAD":
        response = HttpResponse(content_type=CONTENT_TYPE)
        response["Content-Length"] = str(size)
    else:
        response = FileResponse(path.open("rb"), content_type=CONTENT_TYPE)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = "private, max-age=3600"
    return response
