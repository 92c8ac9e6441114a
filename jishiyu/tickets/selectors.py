"""Reads of the tickets app (工单查询): the staff queues, a ticket with its history, a resident's own
requests, the map. Every read goes through the scope policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jishiyu.core.scope import subtree_q
from jishiyu.organisations.models import Organisation
from jishiyu.regions.models import Region
from jishiyu.tickets.models import (
    OPEN_STATUSES,
    TO_REVIEW,
    WAITING_DISPATCH,
    WORKING,
    Category,
    PlaceBasis,
    Status,
    Ticket,
    TicketEvent,
    category_label,
)
from jishiyu.tickets.permissions import department_ids, may_see_reporter, may_take, ticket_policy
from jishiyu.tickets.transitions import TRANSITIONS, actions_from

QUEUES = ("to_dispatch", "to_sign_for", "due_soon", "overdue", "to_review", "to_follow_up", "all")
DUE_SOON_HOURS = 24
LIST_FIELDS = (
    "id",
    "kind",
    "channel",
    "status",
    "content",
    "address",
    "urgency",
    "received_at",
    "due_at",
    "deadline_provisional",
    "place_resolved",
    "place_basis",
    "supervised",
    "category__name",
    "category__name_en",
    "queue_region__name",
    "handler_region__name",
    "handler_org__name",
)

REPORTER_LABEL = _("Reporter")  # a step of the reporter, shown to those who may not know who reported


def _handle_q(actor: Any) -> Q:
    """Tickets assigned to the actor as handler: a region in their handle scope, or their department."""
    q = subtree_q("handler_region__path", actor.region_paths_for("tickets.handle"))
    depts = department_ids(actor, "tickets.handle")
    if depts:
        q |= Q(handler_org_id__in=depts)
    return q


class QueueQuerySet(QuerySet[Ticket]):
    """A staff queue at a million tickets.

    A page (a slice) is read in two steps: the ids of its rows, filtered, ordered and sliced through an
    index that holds the filter's and the order's columns (no table row is read for the rows that are
    not shown), then those rows with their related names by primary key. A count of a slice (the
    paginator's capped count) ignores the order, so it stops at the cap inside the index."""

    def count(self) -> int:
        if self._result_cache is None and self.query.is_sliced:
            clone = self.all()
            clone.query.clear_ordering(force=True)
            return int(clone.query.get_count(using=self.db))
        return super().count()

    def _fetch_all(self) -> None:
        if self._result_cache is None and self.query.is_sliced and self._iterable_class is ModelIterable:
            ids = list(self.values_list("pk", flat=True))
            rows = self.model._default_manager.using(self.db).filter(pk__in=ids)
            rows.query.select_related = self.query.select_related
            rows.query.deferred_loading = self.query.deferred_loading
            by_id = {row.pk: row for row in rows}
            self._result_cache = [by_id[pk] for pk in ids if pk in by_id]
        super()._fetch_all()


def queue_count_cap() -> int:
    """How far a queue's badge counts ("1000+" beyond): counting stops inside the index."""
    return int(getattr(settings, "TICKETS_QUEUE_COUNT_CAP", 1000))


class QueueCount(int):
    """A queue's count for its badge; at the cap it reads "1000+"."""

    capped: bool = False

    def __str__(self) -> str:
        return f"{int(self)}+" if self.capped else str(int(self))


def ticket_queue(
    *, actor: Any, queue: str = "all", now: dt.datetime | None = None, filters: dict[str, Any] | None = None
) -> QuerySet[Ticket]:
    """One of the staff queues (待派单, 待签收, 即将超期, 已超期, 待审核, 待回访, 全部在办), in scope."""
    now = now or timezone.now()
    base = QueueQuerySet(Ticket).select_related("category", "queue_region", "handler_region", "handler_org")
    if queue == "to_dispatch":
        qs = ticket_policy.queryset(actor, "tickets.dispatch", base).filter(status__in=WAITING_DISPATCH)
        qs = qs.order_by("received_at")
    elif queue == "to_sign_for":
        qs = ticket_policy.queryset(actor, "tickets.view", base, own=False).filter(
            _handle_q(actor), status=Status.DISPATCHED
        )
        qs = qs.order_by("sign_for_due_at")
    elif queue == "due_soon":
        qs = ticket_policy.queryset(actor, "tickets.view", base, own=False).filter(
            status__in=WORKING, due_at__gt=now, due_at__lte=now + dt.timedelta(hours=DUE_SOON_HOURS)
        )
        qs = qs.order_by("due_at")
    elif queue == "overdue":
        qs = ticket_policy.queryset(actor, "tickets.view", base, own=False).filter(status__in=WORKING, due_at__lt=now)
        qs = qs.order_by("due_at")
    elif queue == "to_review":
        qs = ticket_policy.queryset(actor, "tickets.review", base).filter(status__in=TO_REVIEW)
        qs = qs.order_by("replied_at", "received_at")
    elif queue == "to_follow_up":
        qs = ticket_policy.queryset(actor, "tickets.review", base).filter(
            status__in=[Status.REVIEWED, Status.FOLLOWED_UP]
        )
        qs = qs.order_by("reviewed_at", "received_at")
    else:
        # Every open ticket; a closed one is found by asking for its status (a million closed tickets
        # are not a queue).
        filters = filters or {}
        statuses = [filters["status"]] if filters.get("status") else list(OPEN_STATUSES)
        qs = ticket_policy.queryset(actor, "tickets.view", base, own=False).filter(status__in=statuses)
        qs = qs.order_by("-received_at")
    filters = filters or {}
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    if filters.get("q"):
        qs = qs.filter(content__icontains=filters["q"])
    return qs


def queue_counts(*, actor: Any, now: dt.datetime | None = None, cap: int | None = -1) -> dict[str, int]:
    """How many tickets wait in each queue. For the badges of the queue page each count stops at the cap
    (``queue_count_cap()``; a ``QueueCount`` that reads "1000+" there): six exact counts at a million
    tickets cost more than the page itself. ``cap=None`` counts exactly (the API)."""
    limit = queue_count_cap() if cap == -1 else cap
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for name in QUEUES:
        if name == "all":
            continue
        qs = ticket_queue(actor=actor, queue=name, now=now).order_by()
        if limit is None:
            counts[name] = qs.count()
            continue
        count = QueueCount(qs[:limit].count())
        count.capped = count >= limit
        counts[name] = count
    return counts


def ticket_get(*, actor: Any, ticket_id: Any, permission: str = "tickets.view") -> Ticket:
    """A ticket in scope, or NotFound."""
    return ticket_policy.get(actor, permission, pk=ticket_id)


def ticket_history(*, ticket: Ticket, viewer: Any = None) -> list[TicketEvent]:
    """The ticket's steps, each with ``actor_label``: who took it, as ``viewer`` may know it. The reporter's own
    steps (filing, rating, adding photos) are labelled "Reporter" without a name wherever ``viewer`` may not
    see who reported (anonymous tickets, the subject of a complaint, staff who neither dispatch nor handle)."""
    events = list(ticket.events.select_related("actor").order_by("at", "pk"))
    hide = not may_see_reporter(viewer, ticket)
    for event in events:
        event.actor_label = event_actor_label(event, ticket, hide_reporter=hide)  # type: ignore[attr-defined]
    return events


def event_actor_label(event: TicketEvent, ticket: Ticket, *, hide_reporter: bool) -> str:
    if event.actor_id is None:
        return ""
    if hide_reporter and ticket.reporter_id is not None and event.actor_id == ticket.reporter_id:
        return str(REPORTER_LABEL)
    return event.actor.name if event.actor else ""


def ticket_place(*, ticket: Ticket) -> dict[str, Any]:
    """Where the ticket is (地点): its place and on which basis it was found, its coordinates whenever it
    has any, and, for a point that lies in no outline, the nearest grid or community and how far."""
    from jishiyu.tickets import geo

    basis = ticket.place_basis or (PlaceBasis.POINT if ticket.place_resolved else PlaceBasis.NONE)
    if basis not in PlaceBasis.values:
        basis = PlaceBasis.NONE
    nearest = None
    has_point = ticket.lon is not None and ticket.lat is not None
    if has_point and basis != PlaceBasis.POINT:
        found = geo.nearest_region(ticket.lon, ticket.lat)  # type: ignore[arg-type]
        if found is not None:
            nearest = {"region": found[0], "metres": round(found[1]), "inside": found[1] == 0}
    return {
        "region": ticket.region if ticket.place_resolved else None,
        "queue_region": ticket.queue_region,
        "basis": basis,
        "basis_label": PlaceBasis(basis).label,
        "unplaced": basis == PlaceBasis.NONE,
        "by_home": basis == PlaceBasis.HOME,
        "lon": ticket.lon,
        "lat": ticket.lat,
        "has_point": has_point,
        "nearest": nearest,
    }


def ticket_reporter(*, actor: Any, ticket: Ticket) -> dict[str, str] | None:
    """Who reported, masked, for those allowed to see it (dispatcher and handler; never the subject)."""
    if not may_see_reporter(actor, ticket):
        return None
    return {"name": ticket.caller_name, "phone": ticket.caller_phone_masked}


# A ticket asked for in a bulk dispatch that is not in the actor's to-dispatch queue.
NOT_WAITING = _("Not found.")


def tickets_to_dispatch(*, actor: Any, ids: list[int]) -> tuple[list[Ticket], list[int]]:
    """批量派单's choice: of the ids asked for, the tickets in the actor's to-dispatch queue, and the ids that
    are not there (missing, out of scope or no longer waiting: the answer does not tell which)."""
    tickets = list(ticket_queue(actor=actor, queue="to_dispatch").filter(pk__in=ids))
    found = {t.pk for t in tickets}
    return tickets, [pk for pk in dict.fromkeys(ids) if pk not in found]


def ticket_actions(*, actor: Any, ticket: Ticket) -> list[str]:
    """Actions the actor may take on the ticket now (for buttons)."""
    return [t.action for t in actions_from(ticket.status) if t.action != "note" and may_take(actor, t, ticket)]


def my_tickets(*, actor: Any) -> QuerySet[Ticket]:
    """我的诉求: the tickets the actor filed."""
    if actor is None or not actor.is_authenticated:
        return Ticket.objects.none()
    return Ticket.objects.filter(reporter_id=actor.pk).select_related("category").order_by("-received_at")


def my_ticket_get(*, actor: Any, ticket_id: Any) -> Ticket:
    from jishiyu.core.errors import NotFound

    try:
        return my_tickets(actor=actor).get(pk=ticket_id)
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


PUBLIC_ACTIONS = frozenset(
    {
        "accept",
        "dispatch",
        "redispatch",
        "sign_for",
        # the reply as the resident hears it: once approved (审核通过), not when the handler wrote it
        "approve_reply",
        "follow_up",
        "close",
        "redo",
        "approve_extension",
        "approve_screening",
        "merge",
        "recall",
        "approve_return",
    }
)


def resident_steps(*, ticket: Ticket) -> list[TicketEvent]:
    """The steps a resident sees (no internal notes, no staff names)."""
    return list(ticket.events.filter(action__in=PUBLIC_ACTIONS).order_by("at", "pk"))


# What a resident reads for each status: the office's inner steps (sign-for, a return or an extension
# asked for, a reply waiting for review) all read "being handled".
RESIDENT_STATUS: dict[str, str] = {
    Status.ACCEPTED: Status.ACCEPTED,
    Status.RETURNED: Status.ACCEPTED,
    Status.DISPATCHED: Status.HANDLING,
    Status.SIGNED_FOR: Status.HANDLING,
    Status.HANDLING: Status.HANDLING,
    Status.RETURN_REQUESTED: Status.HANDLING,
    Status.EXTENSION_REQUESTED: Status.HANDLING,
    Status.SCREENING_REQUESTED: Status.HANDLING,
    Status.REPLIED: Status.HANDLING,
}
RESIDENT_STATUS_LABELS: dict[str, Any] = {
    Status.ACCEPTED: pgettext_lazy("resident status", "Received"),
    Status.HANDLING: gettext_lazy("Being handled"),
    Status.REVIEWED: gettext_lazy("Replied: please tell us how it went"),
    Status.FOLLOWED_UP: gettext_lazy("Your answer is recorded"),
}


def resident_status(ticket: Ticket) -> tuple[str, str]:
    """(status key, label) as the reporter sees it: a reply waiting for review reads "being handled"."""
    key = RESIDENT_STATUS.get(ticket.status, ticket.status)
    label = RESIDENT_STATUS_LABELS.get(key)
    return key, str(label) if label is not None else str(Status(key).label) if key in Status.values else key


def reporter_view(*, actor: Any, ticket: Ticket) -> bool:
    """The actor reads the ticket as its reporter (the resident's view), not as staff in its scope."""
    return ticket_policy.is_own(actor, ticket) and not ticket_policy.allows_as_staff(actor, "tickets.view", ticket)


def reply_visible(ticket: Ticket) -> bool:
    """The reporter may read (and rate) the reply: it was approved, by a reviewer or, with review off, at once."""
    return bool(ticket.reply) and ticket.reviewed_at is not None


def resident_ticket_view(*, ticket: Ticket) -> dict[str, Any]:
    """What the reporter may read of the ticket's answer: the reply once approved, and the status in plain words."""
    visible = reply_visible(ticket)
    key, label = resident_status(ticket)
    return {
        "reply": ticket.reply if visible else "",
        "replied_at": ticket.reviewed_at if visible else None,
        "reply_visible": visible,
        "may_rate": visible and ticket.status == Status.REVIEWED,
        "status_key": key,
        "status_label": label,
    }


def categories(*, active_only: bool = True) -> QuerySet[Category]:
    qs = Category.objects.select_related("parent")
    return qs.filter(active=True) if active_only else qs


def ticket_map_features(*, actor: Any, queue: str = "all", limit: int = 2000) -> dict[str, Any]:
    """GeoJSON of tickets in scope with coordinates (地图)."""
    qs = ticket_queue(actor=actor, queue=queue).filter(lon__isnull=False, lat__isnull=False)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [t["lon"], t["lat"]]},
            "properties": {
                "id": t["id"],
                "status": t["status"],
                "kind": t["kind"],
                "category": category_label(t["category__name"], t["category__name_en"]),
            },
        }
        for t in qs.values("id", "lon", "lat", "status", "kind", "category__name", "category__name_en")[:limit]
    ]
    return {"type": "FeatureCollection", "features": features}


TRANSITION_LABELS = {name: t.label for name, t in TRANSITIONS.items()}


def parse_handler(value: str) -> dict[str, Any]:
    """'r:<id>' → handler_region, 'o:<id>' → handler_org (the dispatch forms' encoding); {} for anything else."""
    kind, _sep, pk = (value or "").partition(":")
    if kind == "r" and pk.isdigit():
        region = Region.objects.filter(pk=int(pk)).first()
        if region is not None:
            return {"handler_region": region}
    if kind == "o" and pk.isdigit():
        org = Organisation.objects.filter(pk=int(pk), kind=Organisation.Kind.DEPARTMENT).first()
        if org is not None:
            return {"handler_org": org}
    return {}


# --- the ticket page: routing suggestion and suspected duplicates (派单建议, 疑似重复件) -----------------


def _dispatch_value(handler_key: str) -> str:
    """'region:7' → 'r:7', 'org:12' → 'o:12' (the dispatch forms' encoding)."""
    kind, _sep, pk = (handler_key or "").partition(":")
    prefix = {"region": "r", "org": "o"}.get(kind)
    return f"{prefix}:{pk}" if prefix and pk.isdigit() else ""


def ticket_suggestion(*, actor: Any, ticket: Ticket) -> dict[str, Any] | None:
    """The stored routing suggestion (rules and learned model, with its confidence), for those who may
    dispatch the ticket; None for everyone else or when there is none."""
    stored = ticket.suggested_handler or {}
    if not stored or not ticket_policy.allows(actor, "tickets.dispatch", ticket):
        return None
    rule, learned = stored.get("rule"), stored.get("learned")
    result: dict[str, Any] = {"rule": None, "learned": None}
    if rule:
        result["rule"] = {**rule, "value": _dispatch_value(rule.get("handler", ""))}
    if learned:
        confidence = float(learned.get("confidence") or 0)
        result["learned"] = {
            **learned,
            "value": _dispatch_value(learned.get("handler", "")),
            "percent": confidence * 100,
        }
    return result if result["rule"] or result["learned"] else None


def ticket_duplicates(*, actor: Any, ticket: Ticket) -> dict[str, Any]:
    """Suspected duplicates around the ticket, in the actor's dispatch scope: the open ticket this one may
    repeat (``of``), and the open tickets flagged as repeating this one (``repeats``)."""
    mergeable = ticket_policy.queryset(actor, "tickets.dispatch", Ticket.objects.select_related("category"))
    of = None
    if ticket.suspected_duplicate_of_id and ticket.is_open and ticket.duplicate_of_id is None:
        of = mergeable.filter(pk=ticket.suspected_duplicate_of_id, status__in=OPEN_STATUSES).first()
    repeats: list[Ticket] = []
    if ticket.is_open:
        repeats = list(
            mergeable.filter(suspected_duplicate_of=ticket, status__in=OPEN_STATUSES, duplicate_of__isnull=True)
            .exclude(pk=ticket.pk)
            .order_by("received_at")[:10]
        )
    return {"of": of, "repeats": repeats}
