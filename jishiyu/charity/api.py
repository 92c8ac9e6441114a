"""JSON API of the charity app (mounted under /api/v1/charity)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["charity"])
