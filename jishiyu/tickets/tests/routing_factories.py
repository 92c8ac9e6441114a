"""Small builders for the routing, rates and dashboard tests (tickets in a given state, follow-ups)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from jishiyu.regions.models import Region
from jishiyu.tickets.models import Category, Channel, FollowUp, Kind, Status, Ticket

SQUARE = 0.01


def square(lon: float, lat: float, size: float = SQUARE) -> dict[str, Any]:
    """A GeoJSON square with its south-west corner at (lon, lat)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def category(code: str = "A01", name: str = "路灯", parent: Category | None = None) -> Category:
    return Category.objects.create(code=code, name=name, domain=Category.Domain.COMPONENT, parent=parent)


def ticket(
    place: Region,
    *,
    content: str = "小区门口路灯不亮",
    status: str = Status.ACCEPTED,
    received_at: datetime | None = None,
    **fields: Any,
) -> Ticket:
    fields.setdefault("channel", Channel.PORTAL)
    fields.setdefault("kind", Kind.HELP)
    return Ticket.objects.create(
        content=content,
        region=place,
        queue_region=place,
        region_path=place.path,
        place_resolved=True,
        status=status,
        received_at=received_at or timezone.now(),
        **fields,
    )


def dispatched(
    place: Region, *, at: datetime, signed_after: timedelta | None, limit: timedelta, **fields: Any
) -> Ticket:
    """A ticket dispatched at ``at`` with a sign-for limit, signed for after ``signed_after`` (None: not yet)."""
    signed = at + signed_after if signed_after is not None else None
    status = Status.SIGNED_FOR if signed else Status.DISPATCHED
    fields.setdefault("status", status)
    return ticket(
        place,
        received_at=at,
        dispatched_at=at,
        sign_for_due_at=at + limit,
        signed_for_at=signed,
        handler_region=place,
        **fields,
    )


def follow_up(t: Ticket, solved: str, satisfied: str, at: datetime | None = None) -> FollowUp:
    return FollowUp.objects.create(ticket=t, solved=solved, satisfied=satisfied, answered_at=at or timezone.now())
