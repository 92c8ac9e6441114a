"""Scope: out-of-scope personas get 404 or an empty list, on pages and in the API; who sees the reporter."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.tickets import selectors, services
from jishiyu.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker", "auditor", "department_handler"])
def test_a_ticket_out_of_scope_answers_404_in_the_api(client: Any, personas: Any, ticket: Ticket, persona: str) -> None:
    client.force_login(personas[persona])
    assert client.get(f"/api/v1/tickets/{ticket.pk}").status_code == 404
    assert client.get(f"/api/v1/tickets/{ticket.pk}/events").status_code == 404
    response = client.post(f"/api/v1/tickets/{ticket.pk}/actions/sign_for", {}, content_type="application/json")
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker", "auditor"])
def test_a_ticket_out_of_scope_answers_404_on_its_page(
    client: Any, personas: Any, ticket: Ticket, persona: str
) -> None:
    client.force_login(personas[persona])
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker", "auditor", "department_handler"])
def test_queues_out_of_scope_are_empty(client: Any, personas: Any, ticket: Ticket, persona: str) -> None:
    client.force_login(personas[persona])
    assert client.get("/api/v1/tickets/?queue=all").json()["count"] == 0


@pytest.mark.parametrize("persona", ["grid_worker", "community_worker", "street_dispatcher", "district_admin"])
def test_staff_of_the_place_and_above_see_the_ticket(client: Any, personas: Any, ticket: Ticket, persona: str) -> None:
    client.force_login(personas[persona])
    assert client.get(f"/api/v1/tickets/{ticket.pk}").status_code == 200
    assert client.get("/api/v1/tickets/?queue=all").json()["count"] == 1


def test_a_resident_sees_their_own_request_but_not_anothers(client: Any, personas: Any, ticket: Ticket) -> None:
    client.force_login(personas["resident"])
    assert client.get("/api/v1/tickets/mine").json()["count"] == 1
    client.force_login(personas["outsider"])
    assert client.get("/api/v1/tickets/mine").json()["count"] == 0
    assert client.get(f"/tickets/mine/{ticket.pk}/").status_code == 404


def test_a_department_handler_sees_only_tickets_dispatched_to_their_department(
    client: Any, personas: Any, ticket: Ticket, department: Any, tree: Any
) -> None:
    services.ticket_dispatch(actor=personas["district_admin"], ticket=ticket, handler_org=department)
    client.force_login(personas["department_handler"])
    assert client.get(f"/api/v1/tickets/{ticket.pk}").status_code == 200
    response = client.post(f"/api/v1/tickets/{ticket.pk}/actions/sign_for", {}, content_type="application/json")
    assert response.json()["status"] == "signed_for"


def test_the_dispatcher_and_the_handler_see_the_reporter_masked(personas: Any, ticket: Ticket, tree: Any) -> None:
    t = services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=ticket, handler_region=tree.community)
    for persona in ("street_dispatcher", "community_worker"):
        reporter = selectors.ticket_reporter(actor=personas[persona], ticket=t)
        assert reporter == {"name": "居民甲", "phone": "138****0001"}


def test_a_viewer_who_neither_dispatches_nor_handles_does_not_see_the_reporter(
    personas: Any, ticket: Ticket, tree: Any
) -> None:
    t = services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=ticket, handler_region=tree.community)
    assert selectors.ticket_reporter(actor=personas["social_worker"], ticket=t) is None


def test_the_handler_who_is_the_subject_of_the_complaint_never_sees_the_reporter(
    personas: Any, tree: Any, department: Any
) -> None:
    t, _ = services.ticket_create(
        actor=personas["resident"],
        channel="portal",
        kind="complaint",
        content="城管执法粗暴",
        region=tree.grid,
        subject_org=department,
    )
    t = services.ticket_dispatch(actor=personas["district_admin"], ticket=t, handler_org=department)
    assert selectors.ticket_reporter(actor=personas["department_handler"], ticket=t) is None
    assert selectors.ticket_reporter(actor=personas["district_admin"], ticket=t) is not None


def test_nobody_sees_the_reporter_of_an_anonymous_ticket(personas: Any, tree: Any) -> None:
    t, _ = services.ticket_create(
        actor=personas["resident"], channel="portal", kind="report", content="x", region=tree.grid, anonymous=True
    )
    assert selectors.ticket_reporter(actor=personas["district_admin"], ticket=t) is None


def test_the_api_never_shows_the_reporter_to_a_viewer_without_the_right(
    client: Any, personas: Any, ticket: Ticket
) -> None:
    client.force_login(personas["social_worker"])
    assert client.get(f"/api/v1/tickets/{ticket.pk}").json()["reporter"] is None


def test_a_dispatcher_may_not_send_a_ticket_to_a_region_outside_their_street(
    client: Any, personas: Any, ticket: Ticket, tree: Any
) -> None:
    client.force_login(personas["street_dispatcher"])
    response = client.post(
        f"/api/v1/tickets/{ticket.pk}/actions/dispatch",
        {"handler": f"r:{tree.other_community.pk}"},
        content_type="application/json",
    )
    assert response.status_code == 422
    ticket.refresh_from_db()
    assert ticket.status == "accepted"


def test_the_queue_list_runs_in_a_bounded_number_of_queries(
    client: Any, personas: Any, tree: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(15):
        services.ticket_create(
            actor=personas["resident"], channel="portal", kind="help", content=f"{i}", region=tree.grid
        )
    client.force_login(personas["street_dispatcher"])
    with django_assert_max_num_queries(20):
        response = client.get("/tickets/?queue=to_dispatch")
    assert response.status_code == 200
