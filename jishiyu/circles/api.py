"""JSON API of the circles app (mounted under /api/v1/circles)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["circles"])
