"""Uploaded files: typed by their content, stored under names the server makes.

A file's type is read from its first bytes, never from its name or from the type the client declares, and
it is stored as ``<random hex>.<extension of that type>``: the uploader's name (which may be ``x.html`` or
carry a resident's name) never reaches the storage, and a GIF-headed ``.js`` is stored and served as a GIF.
Files are served only by the apps' own scoped views (never from /media/ directly; docs/deploy.md)."""

from __future__ import annotations

import uuid
from typing import Any

# (offset, signature, MIME type). HEIC/HEIF: an ISO BMFF "ftyp" box with an image brand.
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
)
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif")

EXTENSION_OF = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
}


def sniff_image_type(upload: Any) -> str | None:
    """The image type read from the file's first bytes, or None when it is not a photo we take."""
    try:
        upload.seek(0)
        head = upload.read(32)
        upload.seek(0)
    except (AttributeError, OSError, ValueError):
        return None
    if not isinstance(head, bytes):
        return None
    for offset, signature, mime in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic"
    return None


def server_name(extension: str) -> str:
    """A fresh name for a stored file: 32 random hex digits and the given extension."""
    extension = extension.lower().lstrip(".")
    return f"{uuid.uuid4().hex}.{extension}" if extension else uuid.uuid4().hex


def rename_photo(upload: Any) -> Any:
    """Give an uploaded photo a server-made name with the extension of its real type (its content)."""
    mime = sniff_image_type(upload)
    upload.name = server_name(EXTENSION_OF.get(mime or "", ""))
    return upload


def rename_document(upload: Any, allowed: set[str] | frozenset[str]) -> Any:
    """Give an uploaded document a server-made name, keeping its extension only when it is one we accept."""
    name = str(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload.name = server_name(extension if extension in allowed else "")
    return upload
