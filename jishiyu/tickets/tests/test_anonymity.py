"""An anonymous reporter is never named: not in the events API, the page's history, nor the admin — the probe
found her name in all three, shown to the community worker too."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.tickets import services
from jishiyu.tickets.models import Ticket

pytestmark = pytest.mark.django_db

STAFF = ["community_worker", "street_dispatcher", "district_admin"]


@pytest.fixture
def anonymous(personas: Any, tree: Any) -> Ticket:
    personas["resident"].name = "李秀英"
    personas["resident"].save(update_fields=["name"])
    ticket, _ = services.ticket_create(
        actor=personas["resident"],
        channel="portal",
        kind="complaint",
        content="楼下夜间施工",
        category="C0105",
        region=tree.grid,
        anonymous=True,
    )
    return ticket


@pytest.mark.parametrize("persona", STAFF)
def test_the_events_api_does_not_name_the_anonymous_reporter(
    client: Any, personas: Any, anonymous: Ticket, persona: str
) -> None:
    client.force_login(personas[persona])
    response = client.get(f"/api/v1/tickets/{anonymous.pk}/events")
    assert response.status_code == 200
    events = response.json()
    assert events, "the ticket has at least its filing step"
    assert "李秀英" not in response.content.decode()
    filed = events[0]
    assert filed["actor"] == "Reporter" or filed["actor"] == "反映人"


@pytest.mark.parametrize("persona", STAFF)
def test_the_ticket_page_history_does_not_name_the_anonymous_reporter(
    client: Any, personas: Any, anonymous: Ticket, persona: str
) -> None:
    client.force_login(personas[persona])
    response = client.get(f"/tickets/{anonymous.pk}/")
    assert response.status_code == 200
    assert "李秀英" not in response.content.decode()


def test_the_admin_change_page_does_not_name_the_anonymous_reporter(
    client: Any, personas: Any, anonymous: Ticket
) -> None:
    admin = personas["district_admin"]
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client.force_login(admin)
    response = client.get(f"/admin/tickets/ticket/{anonymous.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "李秀英" not in html
    assert "13800000001" not in html


def test_a_named_reporter_is_still_shown_to_the_dispatcher(client: Any, personas: Any, tree: Any) -> None:
    personas["resident"].name = "李秀英"
    personas["resident"].save(update_fields=["name"])
    ticket, _ = services.ticket_create(
        actor=personas["resident"],
        channel="portal",
        kind="help",
        content="路灯坏了",
        category="C0105",
        region=tree.grid,
    )
    client.force_login(personas["street_dispatcher"])
    events = client.get(f"/api/v1/tickets/{ticket.pk}/events").json()
    assert events[0]["actor"] == "李秀英"
