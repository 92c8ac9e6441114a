"""Time limits in Chinese working days across National Day 2025 and its make-up workdays; uncovered years."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from jishiyu.tickets import deadlines
from jishiyu.tickets.models import Holiday, Kind, Ticket, TimeLimitPolicy, TimeUnit

LOCAL = deadlines.LOCAL


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=LOCAL)


def test_three_working_days_from_the_last_day_before_national_day_end_after_the_holiday() -> None:
    # 2025-09-30 (Tue) received; 10-01..10-08 off; 10-09 (Thu), 10-10 (Fri), 10-11 (Sat, make-up workday).
    deadline = deadlines.add_working_days(at(2025, 9, 30), 3)
    assert deadline.at.date() == dt.date(2025, 10, 11)
    assert not deadline.provisional


def test_the_make_up_sunday_before_national_day_counts_as_a_working_day() -> None:
    # 2025-09-27 (Sat) received; 09-28 (Sun) is a make-up workday; 09-29, 09-30 follow.
    deadline = deadlines.add_working_days(at(2025, 9, 27), 3)
    assert deadline.at.date() == dt.date(2025, 9, 30)


def test_a_request_received_during_the_holiday_starts_counting_after_it() -> None:
    deadline = deadlines.add_working_days(at(2025, 10, 3), 1)
    assert deadline.at.date() == dt.date(2025, 10, 9)


def test_the_deadline_is_the_end_of_the_last_working_day_in_china_time() -> None:
    deadline = deadlines.add_working_days(at(2025, 9, 30), 1)
    assert deadline.at.astimezone(LOCAL).time() == dt.time(23, 59, 59)


def test_hours_count_the_clock_not_the_calendar() -> None:
    deadline = deadlines.add_limit(at(2025, 9, 30, 22), 24, TimeUnit.HOURS)
    assert deadline.at == at(2025, 10, 1, 22)


@pytest.mark.django_db
def test_an_uncovered_year_falls_back_to_the_holiday_table_and_is_provisional() -> None:
    Holiday.objects.create(date=dt.date(2030, 1, 2), is_workday=False, note="元旦")
    # 2030-01-01 is a Tuesday: 01-02 off by the table, 01-03 (Thu), 01-04 (Fri), then 01-07 (Mon).
    deadline = deadlines.add_working_days(at(2030, 1, 1), 3)
    assert deadline.at.date() == dt.date(2030, 1, 7)
    assert deadline.provisional


@pytest.mark.django_db
def test_a_make_up_workday_in_the_holiday_table_counts_in_an_uncovered_year() -> None:
    Holiday.objects.create(date=dt.date(2030, 1, 5), is_workday=True, note="调休")
    deadline = deadlines.add_working_days(at(2030, 1, 4), 1)
    assert deadline.at.date() == dt.date(2030, 1, 5)


@pytest.mark.django_db
def test_the_most_specific_policy_in_force_wins(tree: Any) -> None:
    ticket = Ticket(kind=Kind.COMPLAINT, channel="portal", urgency="normal", received_at=at(2025, 9, 30))
    limits = deadlines.limits_for(ticket)
    assert (limits.amount, limits.unit) == (13, TimeUnit.WORKING_DAYS)


@pytest.mark.django_db
def test_a_policy_not_yet_in_force_is_ignored(tree: Any) -> None:
    TimeLimitPolicy.objects.create(kind=Kind.COMPLAINT, channel="portal", amount=1, effective_from=dt.date(2026, 1, 1))
    ticket = Ticket(kind=Kind.COMPLAINT, channel="portal", urgency="normal", received_at=at(2025, 9, 30))
    assert deadlines.limits_for(ticket).amount == 13


@pytest.mark.django_db
@time_machine.travel(at(2025, 9, 30, 16), tick=False)
def test_a_ticket_filed_before_national_day_is_due_after_it(tree: Any, personas: Any) -> None:
    from jishiyu.tickets.services import ticket_create

    ticket, _ = ticket_create(actor=personas["resident"], channel="portal", kind=Kind.ENQUIRY, content="路灯不亮")
    assert ticket.due_at is not None
    assert ticket.due_at.astimezone(LOCAL).date() == dt.date(2025, 10, 11)
    assert not ticket.deadline_provisional


@pytest.mark.django_db
@time_machine.travel(at(2031, 3, 2, 9), tick=False)
def test_a_ticket_filed_in_an_uncovered_year_has_a_provisional_deadline(tree: Any, personas: Any) -> None:
    from jishiyu.tickets.services import ticket_create

    ticket, _ = ticket_create(actor=personas["resident"], channel="portal", kind=Kind.ENQUIRY, content="路灯不亮")
    assert ticket.deadline_provisional
