"""超期升级 beyond one level: grid → community → street → district, one level per interval, each a step on
the ticket and a notification to that level's supervisors, never twice to the same level (frozen time)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from jishiyu.notifications.models import Notification
from jishiyu.tickets import escalation, services
from jishiyu.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db

INTERVAL = dt.timedelta(hours=24)


@pytest.fixture
def grid_ticket(ticket: Ticket, personas: Any, tree: Any, settings: Any) -> Ticket:
    """Handled by the grid (翠竹园第一网格), signed for by the grid worker."""
    settings.TICKETS_ESCALATION_INTERVAL_HOURS = 24
    t = services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=ticket, handler_region=tree.grid)
    return services.ticket_sign_for(actor=personas["grid_worker"], ticket=t)


def run(at: dt.datetime) -> int:
    with time_machine.travel(at, tick=False):
        return services.tickets_check_deadlines()["escalated"]


def escalated_to(ticket: Ticket) -> list[str]:
    return [e.detail["to_region"] for e in TicketEvent.objects.filter(ticket=ticket, action="escalate").order_by("at")]


def told(user: Any, ticket: Ticket) -> bool:
    """The user was told that the ticket went up (the title names the ticket and the level's region)."""
    names = list(
        TicketEvent.objects.filter(ticket=ticket, action="escalate").values_list("detail__to_region", flat=True)
    )
    titles = Notification.objects.filter(user=user, title__contains=f"#{ticket.pk}").values_list("title", flat=True)
    return any(name in title for title in titles for name in names)


def test_an_overdue_ticket_climbs_one_level_per_interval_up_to_the_district(
    grid_ticket: Ticket, personas: Any, tree: Any
) -> None:
    due = grid_ticket.due_at
    assert due is not None
    assert run(due - dt.timedelta(minutes=1)) == 0  # not overdue yet
    assert run(due + dt.timedelta(minutes=10)) == 1
    assert escalated_to(grid_ticket) == ["翠竹园社区"]
    assert run(due + dt.timedelta(hours=5)) == 0  # still within the interval: stays at the community
    assert run(due + dt.timedelta(minutes=10) + INTERVAL) == 1
    assert run(due + dt.timedelta(minutes=10) + 2 * INTERVAL) == 1
    assert escalated_to(grid_ticket) == ["翠竹园社区", "雨花街道", "雨花台区"]
    assert run(due + 10 * INTERVAL) == 0  # nothing above the district
    grid_ticket.refresh_from_db()
    assert grid_ticket.escalation_level == escalation.TOP_LEVEL and grid_ticket.supervised


def test_each_level_s_supervisors_hear_of_it_and_no_one_below_or_elsewhere(grid_ticket: Ticket, personas: Any) -> None:
    due = grid_ticket.due_at
    assert due is not None
    run(due + dt.timedelta(minutes=10))
    assert told(personas["community_secretary"], grid_ticket)
    assert not told(personas["street_official"], grid_ticket)
    run(due + dt.timedelta(minutes=10) + INTERVAL)
    assert told(personas["street_official"], grid_ticket) and told(personas["street_dispatcher"], grid_ticket)
    assert not told(personas["district_admin"], grid_ticket)
    run(due + dt.timedelta(minutes=10) + 2 * INTERVAL)
    assert told(personas["district_admin"], grid_ticket)
    assert not told(personas["other_community_worker"], grid_ticket)
    assert not told(personas["social_worker"], grid_ticket)  # views tickets, supervises nothing


def test_a_ticket_is_never_escalated_twice_to_the_same_level(grid_ticket: Ticket) -> None:
    due = grid_ticket.due_at
    assert due is not None
    at = due + dt.timedelta(minutes=10)
    assert run(at) == 1
    assert run(at) == 0 and run(at + dt.timedelta(minutes=10)) == 0
    stale = Ticket.objects.get(pk=grid_ticket.pk)
    stale.escalation_level = 0  # a second worker holding the ticket as it was before the first step
    with time_machine.travel(at + INTERVAL, tick=False):
        assert escalation.ticket_escalate(ticket=stale, now=at + INTERVAL) is None
    assert escalated_to(grid_ticket) == ["翠竹园社区"]


def test_a_ticket_back_on_time_after_an_extension_stops_climbing(grid_ticket: Ticket, personas: Any) -> None:
    due = grid_ticket.due_at
    assert due is not None
    run(due + dt.timedelta(minutes=10))
    Ticket.objects.filter(pk=grid_ticket.pk).update(due_at=due + 5 * INTERVAL)
    assert run(due + dt.timedelta(minutes=10) + INTERVAL) == 0
    assert escalated_to(grid_ticket) == ["翠竹园社区"]


def test_a_replied_ticket_is_not_escalated(grid_ticket: Ticket, personas: Any) -> None:
    services.ticket_reply(actor=personas["grid_worker"], ticket=grid_ticket, reply="已修好")
    assert grid_ticket.due_at is not None
    assert run(grid_ticket.due_at + dt.timedelta(hours=1)) == 0


def test_a_department_s_overdue_ticket_goes_to_the_district(
    ticket: Ticket, personas: Any, department: Any, tree: Any
) -> None:
    t = services.ticket_dispatch(actor=personas["district_admin"], ticket=ticket, handler_org=department)
    assert t.due_at is not None
    assert run(t.due_at + dt.timedelta(hours=1)) == 1
    assert escalated_to(t) == ["雨花台区"]
    assert run(t.due_at + dt.timedelta(hours=1) + 3 * INTERVAL) == 0


def test_the_escalations_show_on_the_ticket_page_and_in_the_api(
    client: Any, grid_ticket: Ticket, personas: Any
) -> None:
    due = grid_ticket.due_at
    assert due is not None
    run(due + dt.timedelta(minutes=10))
    run(due + dt.timedelta(minutes=10) + INTERVAL)
    client.force_login(personas["street_dispatcher"])
    page = client.get(f"/tickets/{grid_ticket.pk}/").content.decode()
    assert "tk-escalations" in page and "翠竹园社区" in page and "雨花街道" in page
    body = client.get(f"/api/v1/tickets/{grid_ticket.pk}").json()
    assert [e["to_region"]["name"] for e in body["escalations"]] == ["翠竹园社区", "雨花街道"]
    assert [e["level"] for e in body["escalations"]] == [1, 2]
    client.force_login(personas["other_community_worker"])
    assert client.get(f"/api/v1/tickets/{grid_ticket.pk}").status_code == 404
