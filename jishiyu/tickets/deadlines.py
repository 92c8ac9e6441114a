"""Time limits (办理时限): the policy that applies to a ticket and the deadlines it gives, in hours or in
Chinese working days (工作日).

Working days come from ``chinese_calendar`` (official holidays and make-up workdays, 调休). For a year
the package does not cover yet, the staff-editable Holiday table takes over (weekends off unless
listed as a workday, weekdays on unless listed as a holiday) and the deadline is marked provisional."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils import timezone

from jishiyu.tickets import lookups
from jishiyu.tickets.models import Ticket, TimeLimitPolicy, TimeUnit

LOCAL = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Limits:
    """The limits that apply to one ticket."""

    amount: int = 5
    unit: str = TimeUnit.WORKING_DAYS
    sign_for_amount: int = 2
    sign_for_unit: str = TimeUnit.HOURS
    return_window_hours: int = 24
    warn_before_hours: int = 24
    policy_id: int | None = None


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Deadline:
    at: dt.datetime
    provisional: bool


@functools.lru_cache(maxsize=4096)
def _official_workday(day: dt.date) -> bool | None:
    """The calendar package's answer for a day, None for a year it does not cover. Cached: the package's
    data is fixed for the process (and its check of the covered range scans every holiday it knows)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@dataclass
class WorkCalendar:
    """Answers "is this a workday?" and remembers whether it had to fall back to the Holiday table."""

    provisional: bool = False
    _fallback: dict[dt.date, bool] | None = field(default=None, repr=False)

    def _fallback_days(self) -> dict[dt.date, bool]:
        if self._fallback is None:
            self._fallback = lookups.holidays.get()
        return self._fallback

    def is_workday(self, day: dt.date) -> bool:
        official = _official_workday(day)
        if official is None:
            self.provisional = True
            listed = self._fallback_days().get(day)
            if listed is not None:
                return listed
            return day.weekday() < 5
        return official


def add_working_days(start: dt.datetime, days: int, calendar: WorkCalendar | None = None) -> Deadline:
    """End (23:59:59 local) of the ``days``-th working day after the day of ``start``.

    A ticket received on a day off starts counting from the next working day, as on a workday:
    the day of receipt never counts."""
    calendar = calendar or WorkCalendar()
    day = timezone.localtime(start, LOCAL).date()
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            counted += 1
    end = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=LOCAL)
    return Deadline(end, calendar.provisional)


def add_limit(start: dt.datetime, amount: int, unit: str, calendar: WorkCalendar | None = None) -> Deadline:
    if unit == TimeUnit.HOURS:
        return Deadline(start + dt.timedelta(hours=amount), False)
    return add_working_days(start, amount, calendar)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    calendar = WorkCalendar()
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += calendar.is_workday(day)
    return count


def _specificity(policy: TimeLimitPolicy) -> int:
    return sum(bool(v) for v in (policy.source_id, policy.channel, policy.kind, policy.urgency, policy.category_id)) + (
        2 if policy.source_id else 0
    )


def limits_for(ticket: Ticket, at: dt.datetime | None = None) -> Limits:
    """The most specific policy in force at ``at`` matching the ticket's source, kind, urgency and category."""
    at = at or ticket.received_at or timezone.now()
    day = timezone.localtime(at, LOCAL).date()
    categories: list[int] = []
    if ticket.category_id:
        categories.append(ticket.category_id)
        parent_id = ticket.category.parent_id if ticket.category else None
        if parent_id:
            categories.append(parent_id)
    policies = [
        p
        for p in lookups.policies_in_force(day)
        if p.source_id in (None, ticket.source_id)
        and p.channel in ("", ticket.channel)
        and p.kind in ("", ticket.kind)
        and p.urgency in ("", ticket.urgency)
        and (p.category_id is None or p.category_id in categories)
    ]
    best = max(policies, key=lambda p: (_specificity(p), p.effective_from, p.pk), default=None)
    if best is None:
        return DEFAULT_LIMITS
    return Limits(
        amount=best.amount,
        unit=best.unit,
        sign_for_amount=best.sign_for_amount,
        sign_for_unit=best.sign_for_unit,
        return_window_hours=best.return_window_hours,
        warn_before_hours=best.warn_before_hours,
        policy_id=best.pk,
    )


def due_for(ticket: Ticket, start: dt.datetime, limits: Limits | None = None) -> Deadline:
    """The handling deadline counted from ``start`` (the time of receipt, or of a redo)."""
    limits = limits or limits_for(ticket)
    return add_limit(start, limits.amount, limits.unit)


def sign_for_due(ticket: Ticket, dispatched_at: dt.datetime, limits: Limits | None = None) -> Deadline:
    limits = limits or limits_for(ticket)
    return add_limit(dispatched_at, limits.sign_for_amount, limits.sign_for_unit)
