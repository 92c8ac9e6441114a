"""The tickets dashboard, the tickets behind a rate, the rules page and the routing/figures API, per persona."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jishiyu.tickets.models import FollowUp, RoutingRule
from jishiyu.tickets.tests.routing_factories import dispatched, follow_up, ticket

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


@pytest.fixture
def history(tree):
    now = timezone.now() - timedelta(days=1)
    on_time = dispatched(tree.grid, at=now, signed_after=HOUR, limit=2 * HOUR, lon=118.70, lat=31.90)
    late = dispatched(tree.other_grid, at=now, signed_after=3 * HOUR, limit=2 * HOUR)
    follow_up(on_time, FollowUp.Solved.YES, FollowUp.Satisfied.YES)
    follow_up(late, FollowUp.Solved.NO, FollowUp.Satisfied.BASICALLY)
    return on_time, late


def test_the_district_admin_sees_the_three_rates_on_the_dashboard(client, personas, history) -> None:
    client.force_login(personas["district_admin"])
    response = client.get("/tickets/dashboard/")
    assert response.status_code == 200
    rates = {k: r.value for k, r in response.context["f"].rates.items()}
    assert rates == {"response": 0.5, "resolution": 0.5, "satisfaction": 0.5}
    assert b"tickets_dashboard.js" in response.content


def test_the_dashboard_counts_in_a_bounded_number_of_queries(client, personas, history, django_assert_max_num_queries):
    client.force_login(personas["district_admin"])
    with django_assert_max_num_queries(30):
        assert client.get("/tickets/dashboard/").status_code == 200


def test_a_community_worker_sees_only_their_communitys_figures(client, personas, history) -> None:
    client.force_login(personas["community_worker"])
    response = client.get("/tickets/dashboard/")
    assert response.status_code == 200
    assert response.context["f"].region.name == "翠竹园社区"
    assert response.context["f"].rates["response"].denominator == 1


@pytest.mark.parametrize("name", ["outsider", "resident"])
def test_personas_without_ticket_scope_get_no_dashboard(client, personas, history, name) -> None:
    client.force_login(personas[name])
    assert client.get("/tickets/dashboard/").status_code == 404
    assert client.get("/api/v1/tickets/figures").status_code == 404


def test_another_communitys_worker_cannot_open_this_community(client, personas, tree, history) -> None:
    client.force_login(personas["other_community_worker"])
    assert client.get(f"/tickets/dashboard/?region={tree.community.pk}").status_code == 404
    assert client.get(f"/api/v1/tickets/figures?region={tree.community.pk}").status_code == 404


def test_each_rate_opens_the_tickets_behind_it(client, personas, history) -> None:
    _on_time, late = history
    client.force_login(personas["district_admin"])
    response = client.get("/tickets/dashboard/tickets/?rate=response&part=late")
    assert response.status_code == 200
    assert [t.pk for t in response.context["page"]] == [late.pk]


def test_the_tickets_behind_a_rate_stay_in_scope(client, personas, history) -> None:
    client.force_login(personas["other_community_worker"])
    response = client.get("/tickets/dashboard/tickets/?rate=response&part=counted")
    assert [t.pk for t in response.context["page"]] == [history[1].pk]


def test_the_figures_api_answers_volumes_rates_and_hotspots(client, personas, history) -> None:
    client.force_login(personas["district_admin"])
    data = client.get("/api/v1/tickets/figures").json()
    assert data["total"] == 2
    assert data["rates"]["response"]["value"] == 0.5
    assert {c["name"] for c in data["children"]} == {"雨花街道", "板桥街道"}
    assert data["hotspots"] == [{"lon": 118.7, "lat": 31.9, "count": 1}]


def test_a_bad_date_is_refused_by_field(client, personas) -> None:
    client.force_login(personas["district_admin"])
    response = client.get("/api/v1/tickets/figures?start=yesterday")
    assert response.status_code == 422
    assert "start" in str(response.json())


def test_the_figure_tickets_api_lists_the_tickets_behind_a_part(client, personas, history) -> None:
    client.force_login(personas["district_admin"])
    data = client.get("/api/v1/tickets/figures/tickets?rate=satisfaction&part=basically").json()
    assert [t["id"] for t in data["items"]] == [history[1].pk]


def test_the_district_admin_adds_a_rule_on_the_rules_page(client, personas, tree) -> None:
    client.force_login(personas["district_admin"])
    response = client.post("/tickets/routing/rules/", {"region": tree.community.pk, "handler_level": "grid"})
    assert response.status_code == 302
    assert RoutingRule.objects.get().region == tree.community


def test_a_bad_rule_shows_the_message_beside_the_field(client, personas) -> None:
    client.force_login(personas["district_admin"])
    response = client.post("/tickets/routing/rules/", {"handler_level": "department"})
    assert response.status_code == 422 and RoutingRule.objects.count() == 0
    assert "handler_org" in response.context["errors"]


@pytest.mark.parametrize("name", ["community_worker", "street_dispatcher", "outsider"])
def test_staff_without_the_configuration_right_get_no_rules_page(client, personas, name) -> None:
    client.force_login(personas[name])
    assert client.get("/tickets/routing/rules/").status_code == 404
    assert client.get("/api/v1/tickets/routing/rules").json() == []


def test_the_rules_api_creates_changes_and_deletes_a_rule(client, personas, tree) -> None:
    client.force_login(personas["district_admin"])
    created = client.post("/api/v1/tickets/routing/rules", {"handler_level": "street"}, content_type="application/json")
    assert created.status_code == 201
    rule_id = created.json()["id"]
    changed = client.put(
        f"/api/v1/tickets/routing/rules/{rule_id}",
        {"handler_level": "grid", "priority": 4},
        content_type="application/json",
    )
    assert changed.json()["priority"] == 4
    assert client.delete(f"/api/v1/tickets/routing/rules/{rule_id}").status_code == 204
    assert RoutingRule.objects.count() == 0


def test_the_rules_api_refuses_a_bad_rule_with_field_errors(client, personas) -> None:
    client.force_login(personas["district_admin"])
    response = client.post("/api/v1/tickets/routing/rules", {"handler_level": "moon"}, content_type="application/json")
    assert response.status_code == 422
    assert "handler_level" in str(response.json())


def test_a_dispatcher_sees_the_suggestion_and_possible_duplicates(client, personas, tree) -> None:
    first = ticket(tree.grid, content="翠竹园3栋门口路灯不亮了")
    second = ticket(tree.grid, content="3栋门口的路灯晚上不亮")
    client.force_login(personas["street_dispatcher"])
    data = client.get(f"/api/v1/tickets/routing/tickets/{second.pk}/suggestion").json()
    assert data["rule"]["handler"] == f"region:{tree.community.pk}"
    assert data["duplicates"][0]["id"] == first.pk


@pytest.mark.parametrize("name", ["outsider", "other_community_worker", "resident"])
def test_the_suggestion_is_hidden_from_those_who_cannot_dispatch_the_ticket(client, personas, tree, name) -> None:
    t = ticket(tree.grid)
    client.force_login(personas[name])
    assert client.get(f"/api/v1/tickets/routing/tickets/{t.pk}/suggestion").status_code == 404
