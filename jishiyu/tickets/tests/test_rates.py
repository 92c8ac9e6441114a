"""The three rates on hand-built tickets and follow-ups, with the exclusions and the partial weight."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from jishiyu.tickets import rates
from jishiyu.tickets.models import FollowUp, Status
from jishiyu.tickets.tests.routing_factories import dispatched, follow_up, ticket

pytestmark = pytest.mark.django_db

DAY = datetime(2025, 3, 10, 9, tzinfo=timezone.get_current_timezone())
MARCH = rates.Filters(rates.Period(datetime(2025, 3, 1, tzinfo=DAY.tzinfo), datetime(2025, 4, 1, tzinfo=DAY.tzinfo)))
HOUR = timedelta(hours=1)
LIMIT = timedelta(hours=2)
Y, P, N = FollowUp.Solved.YES, FollowUp.Solved.PARTLY, FollowUp.Solved.NO
SY, SB, SN = FollowUp.Satisfied.YES, FollowUp.Satisfied.BASICALLY, FollowUp.Satisfied.NO


@pytest.fixture
def admin(personas):
    return personas["district_admin"]


def test_the_response_rate_counts_tickets_signed_for_within_the_limit(tree, admin) -> None:
    dispatched(tree.grid, at=DAY, signed_after=HOUR, limit=LIMIT)
    dispatched(tree.grid, at=DAY, signed_after=HOUR * 3, limit=LIMIT)
    dispatched(tree.grid, at=DAY, signed_after=None, limit=LIMIT)  # never signed, limit long past
    rate = rates.response_rate(actor=admin, filters=MARCH)
    assert (rate.numerator, rate.denominator) == (1, 3)
    assert rate.parts["late"] == 2


def test_a_ticket_still_within_its_sign_for_limit_is_not_counted_yet(tree, admin) -> None:
    now = timezone.now()
    dispatched(tree.grid, at=now - HOUR, signed_after=None, limit=LIMIT)
    rate = rates.response_rate(actor=admin, filters=rates.Filters())
    assert rate.denominator == 0 and rate.value is None and rate.parts["waiting"] == 1


def test_tickets_dispatched_outside_the_period_are_not_counted(tree, admin) -> None:
    dispatched(tree.grid, at=DAY - timedelta(days=30), signed_after=HOUR, limit=LIMIT)
    assert rates.response_rate(actor=admin, filters=MARCH).denominator == 0


def test_the_resolution_and_satisfaction_rates_count_follow_ups_answered(tree, admin) -> None:
    t = ticket(tree.grid, status=Status.CLOSED)
    follow_up(t, Y, SY, DAY)
    follow_up(t, N, SN, DAY)
    follow_up(ticket(tree.grid, status=Status.CLOSED), Y, SN, DAY)
    follow_up(ticket(tree.grid, status=Status.CLOSED), N, SY, DAY)
    three = rates.rates(actor=admin, filters=MARCH)
    assert (three["resolution"].numerator, three["resolution"].denominator) == (2, 4)
    assert (three["satisfaction"].numerator, three["satisfaction"].denominator) == (2, 4)
    assert three["resolution"].percent == "50.0%"


def test_partly_solved_and_basically_satisfied_count_nothing_by_default(tree, admin) -> None:
    follow_up(ticket(tree.grid, status=Status.CLOSED), P, SB, DAY)
    follow_up(ticket(tree.grid, status=Status.CLOSED), Y, SY, DAY)
    three = rates.rates(actor=admin, filters=MARCH)
    assert three["resolution"].value == 0.5 and three["satisfaction"].value == 0.5


def test_partly_solved_and_basically_satisfied_count_with_the_configured_weight(tree, admin, settings) -> None:
    settings.TICKETS_PARTIAL_WEIGHT = 0.5
    follow_up(ticket(tree.grid, status=Status.CLOSED), P, SB, DAY)
    follow_up(ticket(tree.grid, status=Status.CLOSED), Y, SY, DAY)
    three = rates.rates(actor=admin, filters=MARCH)
    assert three["resolution"].value == 0.75 and three["satisfaction"].value == 0.75


def test_screened_out_tickets_and_merged_duplicates_leave_all_three_rates(tree, admin) -> None:
    screened = dispatched(tree.grid, at=DAY, signed_after=HOUR * 5, limit=LIMIT, status=Status.SCREENED_OUT)
    kept = dispatched(tree.grid, at=DAY, signed_after=HOUR, limit=LIMIT, status=Status.CLOSED)
    merged = dispatched(tree.grid, at=DAY, signed_after=None, limit=LIMIT, status=Status.MERGED, duplicate_of=kept)
    follow_up(screened, N, SN, DAY)
    follow_up(merged, N, SN, DAY)
    follow_up(kept, Y, SY, DAY)
    three = rates.rates(actor=admin, filters=MARCH)
    assert [r.value for r in three.values()] == [1.0, 1.0, 1.0]
    assert [r.denominator for r in three.values()] == [1, 1, 1]


def test_the_rates_can_be_taken_for_one_region_and_one_handler(tree, admin) -> None:
    here = dispatched(tree.grid, at=DAY, signed_after=HOUR, limit=LIMIT)
    dispatched(tree.other_grid, at=DAY, signed_after=HOUR * 3, limit=LIMIT)
    assert rates.response_rate(actor=admin, filters=rates.Filters(MARCH.period, region=tree.community)).value == 1.0
    by_handler = rates.Filters(MARCH.period, handler_region=tree.other_community)
    assert rates.response_rate(actor=admin, filters=by_handler).value == 0.0
    assert here.handler_region == tree.grid


def test_each_figure_opens_the_tickets_behind_it(tree, admin) -> None:
    on_time = dispatched(tree.grid, at=DAY, signed_after=HOUR, limit=LIMIT)
    late = dispatched(tree.grid, at=DAY, signed_after=HOUR * 3, limit=LIMIT)
    follow_up(on_time, Y, SN, DAY)
    follow_up(late, P, SY, DAY)
    assert list(rates.rate_tickets(actor=admin, filters=MARCH, rate="response", part="late")) == [late]
    assert list(rates.rate_tickets(actor=admin, filters=MARCH, rate="resolution", part="partly")) == [late]
    assert list(rates.rate_tickets(actor=admin, filters=MARCH, rate="satisfaction", part="no")) == [on_time]
    assert rates.rate_tickets(actor=admin, filters=MARCH, rate="response", part="counted").count() == 2


def test_rates_per_child_region_are_one_query_each(tree, admin, django_assert_max_num_queries) -> None:
    dispatched(tree.grid, at=DAY, signed_after=HOUR, limit=LIMIT)
    dispatched(tree.other_grid, at=DAY, signed_after=HOUR * 3, limit=LIMIT)
    children = [tree.street, tree.other_street]
    with django_assert_max_num_queries(5):
        grouped = rates.rates_by_child(actor=admin, filters=MARCH, children=children)
    assert grouped[tree.street.pk]["response"].value == 1.0
    assert grouped[tree.other_street.pk]["response"].value == 0.0


@pytest.mark.parametrize("name", ["outsider", "other_community_worker"])
def test_out_of_scope_personas_count_none_of_the_tickets(tree, personas, name) -> None:
    t = dispatched(tree.grid, at=DAY, signed_after=HOUR, limit=LIMIT)
    follow_up(t, Y, SY, DAY)
    three = rates.rates(actor=personas[name], filters=MARCH)
    assert [r.denominator for r in three.values()] == [0, 0, 0]


def test_a_community_worker_counts_the_tickets_of_their_community(tree, personas) -> None:
    dispatched(tree.grid, at=DAY, signed_after=HOUR, limit=LIMIT)
    dispatched(tree.other_grid, at=DAY, signed_after=HOUR, limit=LIMIT)
    assert rates.response_rate(actor=personas["community_worker"], filters=MARCH).denominator == 1


def test_an_unknown_rate_or_part_is_refused_by_field(tree, admin) -> None:
    from jishiyu.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        rates.rate_tickets(actor=admin, filters=MARCH, rate="speed", part="x")
    assert set(caught.value.errors) == {"rate"}
