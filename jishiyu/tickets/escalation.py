"""超期升级: an overdue ticket goes up the levels, grid → community → street → district.

The background task (``tasks.tickets_check_deadlines_periodic``, every ten minutes) escalates an overdue
ticket to the level above its handler; if it is still overdue ``TICKETS_ESCALATION_INTERVAL_HOURS``
(default 24) after that, to the next level, and so on up to the district. ``Ticket.escalation_level``
holds the level reached (1 community, 2 street, 3 district): a ticket only ever moves to a higher level,
so it is never escalated twice to the same level, and the move is a compare-and-set on that column so two
workers running at once cannot both take it. Each step is a ``TicketEvent`` ("escalate") and an in-app
notification to the supervisors of that level (holders of a supervising, reviewing or dispatching role
at that region)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jishiyu.notifications.services import notification_send
from jishiyu.regions.models import Region
from jishiyu.tickets.models import WORKING as WORKING_STATUSES
from jishiyu.tickets.models import Ticket, TicketEvent

# The level of each kind of region; a compound sits beside the grids, under its community.
LEVEL_OF_KIND: dict[str, int] = {
    Region.Kind.GRID: 0,
    Region.Kind.COMPOUND: 0,
    Region.Kind.COMMUNITY: 1,
    Region.Kind.STREET: 2,
    Region.Kind.PARK: 2,
    Region.Kind.DISTRICT: 3,
}
TOP_LEVEL = 3
SUPERVISING = frozenset({"tickets.supervise", "tickets.review", "tickets.dispatch"})
BATCH = 5000

ESCALATED = _("Ticket #%(id)s is overdue and has been escalated to %(region)s.")


def interval() -> dt.timedelta:
    """How long a ticket stays at one level before it goes up the next."""
    return dt.timedelta(hours=float(getattr(settings, "TICKETS_ESCALATION_INTERVAL_HOURS", 24)))


def level_of(region: Region | None) -> int:
    return LEVEL_OF_KIND.get(str(region.kind), 0) if region is not None else 0


def _base(ticket: Ticket) -> Region:
    """Where the ticket is handled: its handling region, its department's region, or its queue."""
    if ticket.handler_region_id and ticket.handler_region is not None:
        return ticket.handler_region
    if ticket.handler_org_id and ticket.handler_org is not None and ticket.handler_org.region_id:
        return ticket.handler_org.region
    return ticket.queue_region


def escalation_target(ticket: Ticket, cache: dict[Any, Any] | None = None) -> Region | None:
    """The nearest region above the ticket's handler whose level is higher than any reached so far.

    A department answers to the district: its ticket goes straight to the district level. ``cache`` keeps
    the regions of each chain for one run of the task."""
    base = _base(ticket)
    department = bool(ticket.handler_org_id) and not ticket.handler_region_id
    floor = ticket.escalation_level if department else max(ticket.escalation_level, level_of(base))
    ids = base.ancestor_ids()  # root first, the base itself last
    cache = {} if cache is None else cache
    key = ("chain", base.path)
    if key not in cache:
        cache[key] = {r.pk: r for r in Region.objects.filter(pk__in=ids, kind__in=list(LEVEL_OF_KIND))}
    found: dict[int, Region] = cache[key]
    for pk in reversed(ids):  # nearest first
        region = found.get(pk)
        if region is not None and level_of(region) > floor:
            return region
    return None


def supervisors(region: Region) -> list[Any]:
    """Holders of a supervising role at exactly this region (the level the ticket went up to)."""
    from jishiyu.accounts.models import RoleAssignment
    from jishiyu.accounts.roles import permissions_of

    holders = RoleAssignment.objects.filter(region=region, active=True).select_related("user")
    seen: dict[int, Any] = {}
    for assignment in holders:
        if SUPERVISING & permissions_of(assignment.role) and assignment.user.is_active:
            seen.setdefault(assignment.user.pk, assignment.user)
    return list(seen.values())


def ticket_escalate(*, ticket: Ticket, now: dt.datetime, cache: dict[Any, Any] | None = None) -> Region | None:
    """升级 one ticket one level up (system action). None when it is already at the top or another worker
    took it first. The step, its event and the supervisors' notices are one transaction."""
    cache = {} if cache is None else cache
    target = escalation_target(ticket, cache)
    if target is None:
        # Nothing above: stop looking at it (no event, nobody new to tell).
        Ticket.objects.filter(pk=ticket.pk, escalation_level=ticket.escalation_level).update(escalation_level=TOP_LEVEL)
        return None
    level = level_of(target)
    with transaction.atomic():
        moved = Ticket.objects.filter(pk=ticket.pk, escalation_level=ticket.escalation_level).update(
            escalation_level=level, escalated_at=now, supervised=True
        )
        if not moved:
            return None
        TicketEvent.objects.create(
            ticket=ticket,
            action="escalate",
            from_status=ticket.status,
            to_status=ticket.status,
            at=now,
            detail={
                "level": level,
                "to_region": target.name,
                "to_region_id": target.pk,
                "due_at": ticket.due_at.isoformat() if ticket.due_at else "",
            },
        )
        if ("supervisors", target.pk) not in cache:
            cache[("supervisors", target.pk)] = supervisors(target)
        url = reverse("tickets:ticket-detail", args=[ticket.pk])
        for user in cache[("supervisors", target.pk)]:
            notification_send(user=user, title=ESCALATED, params={"id": ticket.pk, "region": target.name}, url=url)
    return target


def tickets_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """超期升级: every overdue ticket due for its next level goes up one. Returns how many went up."""
    now = now or timezone.now()
    due = (
        Ticket.objects.filter(status__in=WORKING_STATUSES, due_at__lt=now, escalation_level__lt=TOP_LEVEL)
        .filter(Q(escalated_at__isnull=True) | Q(escalated_at__lte=now - interval()))
        .select_related("handler_region", "handler_org__region", "queue_region")
        .order_by("due_at")
    )
    cache: dict[Any, Any] = {}
    return sum(ticket_escalate(ticket=ticket, now=now, cache=cache) is not None for ticket in due[:BATCH])


def escalations(ticket: Ticket) -> list[dict[str, Any]]:
    """The ticket's escalations, oldest first (for its page and the API)."""
    rows = ticket.events.filter(action="escalate").order_by("at", "pk")
    result = []
    for event in rows:
        detail = event.detail or {}
        region_id = detail.get("to_region_id")
        to_region = {"id": region_id, "name": detail.get("to_region", "")} if region_id else None
        result.append({"level": int(detail.get("level") or 0), "at": event.at, "to_region": to_region})
    return result
