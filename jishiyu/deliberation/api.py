"""JSON API of the deliberation app (mounted under /api/v1/deliberation)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["deliberation"])
