"""The shared dashboard's ticket card and the tickets dashboard read one count (rates.received_tickets): the same
district and period give the same number of received tickets, merged duplicates counted once."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jishiyu.tickets import rates, services
from jishiyu.tickets.models import SuggestionModel

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(tree: Any, personas: Any) -> None:
    """Three requests in 翠竹园, the third merged into the first as its duplicate."""
    made = [
        services.ticket_create(actor=personas["resident"], channel="portal", kind="help", content=text, region=grid)[0]
        for text, grid in (("3栋路灯不亮", tree.grid), ("垃圾桶满了", tree.grid2), ("3栋门口路灯坏了", tree.grid))
    ]
    services.ticket_merge(actor=personas["street_dispatcher"], ticket=made[2], into=made[0])


def _shared_dashboard_count(page: str) -> int:
    found = re.search(r'data-figure="received">(\d+)<', page)
    assert found, "no received figure on /dashboard/"
    return int(found.group(1))


def _tickets_dashboard_count(page: str) -> int:
    found = re.search(r'<span class="kpi-n">(\d+)</span><span class="kpi-l">受理工单', page)
    assert found, "no received figure on /tickets/dashboard/"
    return int(found.group(1))


def test_both_dashboards_show_the_same_number_of_received_tickets(
    client: Any, personas: Any, tree: Any, received: None
) -> None:
    client.force_login(personas["district_admin"])
    shared = _shared_dashboard_count(client.get(f"/dashboard/?region={tree.district.pk}").content.decode())
    tickets = _tickets_dashboard_count(client.get(f"/tickets/dashboard/?region={tree.district.pk}").content.decode())
    assert shared == tickets == 2


def test_the_default_period_is_the_last_thirty_local_days_today_included() -> None:
    period = rates.default_period()
    assert period.end is None and period.start is not None
    assert period.start.hour == 0 and period.start.minute == 0


def test_without_a_tested_suggestion_model_the_tickets_dashboard_shows_no_accuracy(
    client: Any, personas: Any, received: None
) -> None:
    client.force_login(personas["district_admin"])
    assert 'data-kpi="suggestion"' not in client.get("/tickets/dashboard/").content.decode()
    SuggestionModel.objects.create(samples=120, accuracy=0.8, blob=b"")
    page = client.get("/tickets/dashboard/").content.decode()
    assert 'data-kpi="suggestion"' in page and "80.0%" in page
    assert "留出检验" not in page
