"""The three rates (三率) for any period, handler and region, and the tickets behind each figure.

- 响应率 (response rate) = tickets signed for within the sign-for limit ÷ tickets dispatched, over
  tickets dispatched in the period. A ticket still waiting whose sign-for limit has not passed is not
  counted yet: it can still be on time. A ticket without a sign-for limit counts as on time once signed.
- 解决率 (resolution rate) = follow-ups answered "solved" ÷ follow-ups answered, over follow-ups
  answered in the period (each follow-up counts: a redone ticket is followed up again).
- 满意率 (satisfaction rate) = follow-ups answered "satisfied" ÷ follow-ups answered.

Screened-out tickets (甄别) and merged duplicates (重复件) leave all three. "Partly solved" and
"basically satisfied" count with ``TICKETS_PARTIAL_WEIGHT`` (0 by default, 0–1).

Each rate is one aggregate query (conditional counts) over the actor's scope; grouped figures (per
child region, per handler) are one query each as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import ValidationFailed
from jishiyu.core.scope import PATH_END
from jishiyu.organisations.models import Organisation
from jishiyu.regions.models import Region
from jishiyu.tickets.models import OPEN_STATUSES, FollowUp, Status, Ticket
from jishiyu.tickets.permissions import ticket_policy

VIEW_PERMISSION = "tickets.view"
EXCLUDED_STATUSES = (Status.SCREENED_OUT, Status.MERGED)

RESPONSE, RESOLUTION, SATISFACTION = "response", "resolution", "satisfaction"
RATE_LABELS = {
    RESPONSE: _("Response rate"),
    RESOLUTION: _("Resolution rate"),
    SATISFACTION: _("Satisfaction rate"),
}
# The parts of each figure one can open as a ticket list.
PARTS: dict[str, tuple[str, ...]] = {
    RESPONSE: ("counted", "on_time", "late", "waiting"),
    RESOLUTION: ("answered", "yes", "partly", "no"),
    SATISFACTION: ("answered", "yes", "basically", "no"),
}
PART_LABELS = {
    "counted": _("counted"),
    "on_time": _("on time"),
    "late": _("late"),
    "waiting": _("still within the limit"),
    "answered": _("answered"),
    "yes": _("yes"),
    "partly": _("partly solved"),
    "basically": _("basically satisfied"),
    "no": _("no"),
}
UNKNOWN_RATE = _("Choose the response, resolution or satisfaction rate.")
UNKNOWN_PART = _("This part of the figure does not exist.")
BAD_DATE = _("Enter a date as YYYY-MM-DD.")


def partial_weight() -> float:
    """The weight of "partly solved" and "basically satisfied" (0 by default)."""
    weight = float(getattr(settings, "TICKETS_PARTIAL_WEIGHT", 0.0))
    return min(1.0, max(0.0, weight))


@dataclass
class Period:
    """[start, end); either end open."""

    start: datetime | None = None
    end: datetime | None = None

    def q(self, field_name: str) -> Q:
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{field_name}__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{field_name}__lt": self.end})
        return q


@dataclass
class Filters:
    """What the figures cover: a period, a region (the ticket's place subtree), a handler."""

    period: Period = field(default_factory=Period)
    region: Region | None = None
    handler_region: Region | None = None
    handler_org: Organisation | None = None

    def query_string(self) -> str:
        parts = []
        if self.period.start is not None:
            parts.append(f"start={timezone.localtime(self.period.start).date().isoformat()}")
        if self.period.end is not None:
            parts.append(f"end={timezone.localtime(self.period.end).date().isoformat()}")
        if self.region is not None:
            parts.append(f"region={self.region.pk}")
        if self.handler_region is not None:
            parts.append(f"handler_region={self.handler_region.pk}")
        if self.handler_org is not None:
            parts.append(f"handler_org={self.handler_org.pk}")
        return "&".join(parts)


@dataclass
class Rate:
    """One rate: ``value`` in [0, 1] or None when nothing was counted."""

    key: str
    numerator: float
    denominator: int
    parts: dict[str, int]

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f}%"

    @property
    def label(self) -> str:
        return str(RATE_LABELS[self.key])

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": None if self.value is None else round(self.value, 4),
            "numerator": round(self.numerator, 3),
            "denominator": self.denominator,
            "parts": self.parts,
        }


def tickets_in_scope(*, actor: Any, filters: Filters) -> QuerySet[Ticket]:
    """The tickets the rates count: in the actor's view scope, under the filters, without exclusions."""
    # Staff scope only (own=False): a figure is about a region, and the "or I reported it" branch of the
    # policy would keep PostgreSQL from any index on 10 million tickets (bench/city.py).
    qs = ticket_policy.queryset(actor, VIEW_PERMISSION, own=False).exclude(status__in=EXCLUDED_STATUSES)
    qs = qs.filter(duplicate_of__isnull=True)
    if filters.region is not None:
        qs = qs.filter(region_path__gte=filters.region.path, region_path__lt=filters.region.path + PATH_END)
    if filters.handler_region is not None:
        path = filters.handler_region.path
        qs = qs.filter(handler_region__path__gte=path, handler_region__path__lt=path + PATH_END)
    if filters.handler_org is not None:
        qs = qs.filter(handler_org=filters.handler_org)
    return qs


# --- the counts every page shows (受理工单, 超期工单): one definition, read by the tickets dashboard and
# the shared dashboard alike, so the two can never disagree ------------------------------------------

DEFAULT_DAYS = 30


def default_period(*, days: int = DEFAULT_DAYS) -> Period:
    """The figures' default period: the last ``days`` local calendar days, today included."""
    start = timezone.localdate() - timedelta(days=days - 1)
    return Period(timezone.make_aware(datetime.combine(start, datetime.min.time())), None)


def received_tickets(*, actor: Any, filters: Filters) -> QuerySet[Ticket]:
    """受理工单: tickets received in the period, in scope and under the filters. Counted like the rates:
    a merged duplicate is one matter with the ticket it joined, a screened-out one left the figures."""
    return tickets_in_scope(actor=actor, filters=filters).filter(filters.period.q("received_at"))


def overdue_tickets(*, actor: Any, filters: Filters, now: datetime | None = None) -> QuerySet[Ticket]:
    """超期工单 now: open tickets past their deadline, whatever the period (in scope, under the filters)."""
    now = now or timezone.now()
    return tickets_in_scope(actor=actor, filters=filters).filter(status__in=OPEN_STATUSES, due_at__lt=now)


def _response_q(now: datetime) -> dict[str, Q]:
    signed = Q(signed_for_at__isnull=False)
    on_time = signed & (Q(sign_for_due_at__isnull=True) | Q(signed_for_at__lte=F("sign_for_due_at")))
    waiting = Q(signed_for_at__isnull=True) & Q(sign_for_due_at__gt=now)
    return {"on_time": on_time, "late": ~on_time & ~waiting, "waiting": waiting}


def _followup_q(rate: str) -> tuple[str, dict[str, str]]:
    """The follow-up field of a rate and its answers (yes / partial / no)."""
    if rate == RESOLUTION:
        return "solved", {"yes": FollowUp.Solved.YES, "partly": FollowUp.Solved.PARTLY, "no": FollowUp.Solved.NO}
    return "satisfied", {
        "yes": FollowUp.Satisfied.YES,
        "basically": FollowUp.Satisfied.BASICALLY,
        "no": FollowUp.Satisfied.NO,
    }


def response_rate(*, actor: Any, filters: Filters) -> Rate:
    """响应率."""
    now = timezone.now()
    qs = tickets_in_scope(actor=actor, filters=filters).filter(filters.period.q("dispatched_at"))
    qs = qs.filter(dispatched_at__isnull=False)
    parts = _response_q(now)
    counts = qs.aggregate(**{name: Count("pk", filter=q) for name, q in parts.items()})
    counted = counts["on_time"] + counts["late"]
    return Rate(RESPONSE, float(counts["on_time"]), counted, {"counted": counted, **counts})


def _followups(*, actor: Any, filters: Filters) -> QuerySet[FollowUp]:
    tickets = tickets_in_scope(actor=actor, filters=filters)
    return FollowUp.objects.filter(filters.period.q("answered_at"), ticket__in=tickets.values("pk"))


def followup_rate(*, actor: Any, filters: Filters, rate: str) -> Rate:
    """解决率 or 满意率, from the follow-ups answered in the period."""
    field_name, answers = _followup_q(rate)
    counts = _followups(actor=actor, filters=filters).aggregate(
        answered=Count("pk"), **{name: Count("pk", filter=Q(**{field_name: v})) for name, v in answers.items()}
    )
    partial = counts.get("partly", counts.get("basically", 0))
    numerator = counts["yes"] + partial_weight() * partial
    return Rate(rate, numerator, counts["answered"], counts)


def rates(*, actor: Any, filters: Filters) -> dict[str, Rate]:
    """三率 (three queries)."""
    return {
        RESPONSE: response_rate(actor=actor, filters=filters),
        RESOLUTION: followup_rate(actor=actor, filters=filters, rate=RESOLUTION),
        SATISFACTION: followup_rate(actor=actor, filters=filters, rate=SATISFACTION),
    }


def rate_tickets(*, actor: Any, filters: Filters, rate: str, part: str) -> QuerySet[Ticket]:
    """The tickets behind one part of a figure (e.g. the late ones of the response rate)."""
    if rate not in PARTS:
        raise ValidationFailed({"rate": UNKNOWN_RATE})
    if part not in PARTS[rate]:
        raise ValidationFailed({"part": UNKNOWN_PART})
    qs = tickets_in_scope(actor=actor, filters=filters)
    if rate == RESPONSE:
        qs = qs.filter(filters.period.q("dispatched_at"), dispatched_at__isnull=False)
        parts = _response_q(timezone.now())
        if part == "counted":
            return qs.filter(parts["on_time"] | parts["late"])
        return qs.filter(parts[part])
    field_name, answers = _followup_q(rate)
    followups = FollowUp.objects.filter(filters.period.q("answered_at"))
    if part != "answered":
        followups = followups.filter(**{field_name: answers[part]})
    return qs.filter(pk__in=followups.values("ticket_id"))


# --- grouped: per child region, per handler ---------------------------------------------------


def child_case(children: list[Region], field_name: str = "region_path") -> Case:
    """Map a path column to the child whose subtree holds it (one CASE, one query for all children)."""
    whens = [
        When(**{f"{field_name}__gte": c.path, f"{field_name}__lt": c.path + PATH_END}, then=Value(c.pk))
        for c in children
    ]
    return Case(*whens, default=Value(None), output_field=IntegerField())


def rates_by_child(*, actor: Any, filters: Filters, children: list[Region]) -> dict[int, dict[str, Rate]]:
    """三率 per child region of the filter's region (three grouped queries)."""
    result: dict[int, dict[str, Rate]] = {c.pk: {} for c in children}
    if not children:
        return result
    now = timezone.now()
    parts = _response_q(now)
    qs = tickets_in_scope(actor=actor, filters=filters).filter(filters.period.q("dispatched_at"))
    rows = (
        qs.filter(dispatched_at__isnull=False)
        .annotate(child=child_case(children))
        .values("child")
        .annotate(**{name: Count("pk", filter=q) for name, q in parts.items()})
    )
    for row in rows:
        if row["child"] in result:
            counted = row["on_time"] + row["late"]
            result[row["child"]][RESPONSE] = Rate(
                RESPONSE,
                float(row["on_time"]),
                counted,
                {"counted": counted, "on_time": row["on_time"], "late": row["late"], "waiting": row["waiting"]},
            )
    weight = partial_weight()
    for rate in (RESOLUTION, SATISFACTION):
        field_name, answers = _followup_q(rate)
        grouped = (
            _followups(actor=actor, filters=filters)
            .annotate(child=child_case(children, "ticket__region_path"))
            .values("child")
            .annotate(answered=Count("pk"), **{n: Count("pk", filter=Q(**{field_name: v})) for n, v in answers.items()})
        )
        for row in grouped:
            if row["child"] in result:
                counts = {k: row[k] for k in ("answered", *answers)}
                partial = counts.get("partly", counts.get("basically", 0))
                result[row["child"]][rate] = Rate(rate, counts["yes"] + weight * partial, counts["answered"], counts)
    for child_rates in result.values():
        child_rates.setdefault(RESPONSE, Rate(RESPONSE, 0.0, 0, {}))
        child_rates.setdefault(RESOLUTION, Rate(RESOLUTION, 0.0, 0, {}))
        child_rates.setdefault(SATISFACTION, Rate(SATISFACTION, 0.0, 0, {}))
    return result
