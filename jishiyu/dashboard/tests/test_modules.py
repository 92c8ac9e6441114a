"""The modules' cards on the shared dashboard (社区通, 小区里, 公益行, 幸福圈): page and API, scoped."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.charity.models import FundingSource, LedgerEntry, Project
from jishiyu.charity.services import ledger_record
from jishiyu.deliberation.services import topic_propose
from jishiyu.organisations.models import Organisation
from jishiyu.tickets.models import Channel, Kind
from jishiyu.tickets.services import ticket_create

pytestmark = pytest.mark.django_db

API = "/api/v1/dashboard/modules"


@pytest.fixture
def activity(tree: Any, personas: Any) -> None:
    """Two tickets and a topic in 翠竹园社区, one ticket in 新林社区, money received by a 翠竹园 project."""
    for content, region in (("楼道灯坏了", tree.grid), ("路灯不亮", tree.grid2), ("垃圾没人收", tree.other_grid)):
        ticket_create(
            actor=personas["resident"],
            channel=Channel.PORTAL,
            kind=Kind.HELP,
            content=content,
            category="C0105",
            region=region,
        )
    topic_propose(actor=personas["community_secretary"], compound=tree.compound, title="加装电梯")
    foundation = Organisation.objects.create(
        kind=Organisation.Kind.FOUNDATION, name="科菲平基金会", region=tree.district, public_fundraising=True
    )
    source = FundingSource.objects.create(kind=FundingSource.Kind.DISTRICT_FINANCE, name="区财政", region=tree.district)
    project = Project.objects.create(
        name="翠竹园助老餐桌",
        region=tree.community,
        runner_kind=Project.RunnerKind.COMMUNITY,
        recipient=foundation,
        goal="午餐",
        budget_fen=5_000_000,
        status=Project.Status.PUBLISHED,
    )
    ledger_record(
        actor=personas["district_admin"],
        project=project,
        source=source,
        kind=LedgerEntry.Kind.RECEIVED,
        amount_fen=123_456,
    )


def _cards(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["module"]: {f["key"]: f["value"] for f in c["figures"]} for c in payload["modules"]}


def test_the_district_admin_sees_every_module_summed_over_the_district(client, personas, tree, activity):
    client.force_login(personas["district_admin"])
    response = client.get(API, {"region": tree.district.pk})
    assert response.status_code == 200
    cards = _cards(response.json())
    assert set(cards) == {"tickets", "deliberation", "charity", "circles"}
    assert cards["tickets"]["received"] == 3
    assert cards["deliberation"]["topics_raised"] == 1
    assert cards["deliberation"]["votes_held"] == 0
    assert cards["charity"]["received_fen"] == 123_456


def test_figures_follow_the_chosen_region(client, personas, tree, activity):
    client.force_login(personas["district_admin"])
    cards = _cards(client.get(API, {"region": tree.other_street.pk}).json())
    assert cards["tickets"]["received"] == 1
    assert cards["deliberation"]["topics_raised"] == 0
    assert cards["charity"]["received_fen"] == 0


def test_a_community_worker_sees_only_their_community(client, personas, tree, activity):
    client.force_login(personas["other_community_worker"])
    payload = client.get(API).json()
    assert payload["region"]["name"] == "新林社区"
    cards = _cards(payload)
    assert cards["tickets"]["received"] == 1
    assert cards.get("charity", {}).get("received_fen", 0) == 0
    # 翠竹园社区 lies outside this worker's scope: 404, nothing of it shown.
    assert client.get(API, {"region": tree.community.pk}).status_code == 404


def test_the_page_shows_the_cards_with_their_links(client, personas, tree, activity):
    client.force_login(personas["street_official"])
    response = client.get("/dashboard/", {"region": tree.street.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-module="tickets"' in html
    assert f"/tickets/dashboard/?region={tree.street.pk}" in html
    assert 'data-figure="received">2<' in html


def test_a_persona_without_a_modules_permission_sees_no_card_of_it(client, personas, tree, activity):
    """The street dispatcher reads people, tickets, compounds and circles of the street but holds no
    charity role: the money of 翠竹园's project stays out of their dashboard."""
    client.force_login(personas["street_dispatcher"])
    payload = client.get(API).json()
    assert payload["region"]["name"] == "雨花街道"
    cards = _cards(payload)
    assert "charity" not in cards
    assert cards["tickets"]["received"] == 2
    page = client.get("/dashboard/").content.decode()
    assert 'data-module="tickets"' in page and 'data-module="charity"' not in page


def test_an_outsider_gets_no_dashboard(client, personas, tree, activity):
    client.force_login(personas["outsider"])
    assert client.get(API).status_code == 404
