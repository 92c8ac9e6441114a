"""The donor's journey without dead ends: QR codes on the roadshow's cards, where and how to pay after a
donation, what happens next after a claim, and a big screen of its own."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from jishiyu.charity.models import Roadshow


@pytest.fixture
def roadshow(world: Any, tree: Any) -> Roadshow:
    show = Roadshow.objects.create(title="雨花公益路演", region=tree.community, starts_at=timezone.now())
    show.projects.add(world.project)
    for need in (world.wish, world.share_need):
        need.roadshow = show
        need.save()
    return show


def test_the_roadshow_cards_print_a_qr_code_per_need_and_no_raw_link(
    client: Any, roadshow: Roadshow, world: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["community_worker"])
    body = client.get(f"/charity/roadshows/{roadshow.pk}/cards/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert body.count('<svg role="img"') == 2
    assert 'class="qr"' in body
    assert "http://127.0.0.1" not in body and "://testserver" not in body


@pytest.fixture
def payee(world: Any) -> Any:
    project = world.project
    project.payee_name = "科菲平基金会"
    project.payee_bank = "中国工商银行南京雨花台支行"
    project.payee_account = "4301 0000 0900 0012 345"
    project.office_address = "翠竹园社区邻里中心一楼"
    project.office_hours = "周一至周五 9:00–17:00"
    project.save()
    return project


def test_after_a_donation_the_page_shows_the_account_the_office_the_note_and_a_qr_code(
    client: Any, world: Any, payee: Any, personas: dict[str, Any]
) -> None:
    from jishiyu.charity.models import Donation

    client.force_login(personas["resident"])
    response = client.post(
        f"/charity/projects/{world.project.pk}/donate/", {"amount": "88.80"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    body = response.content.decode()
    donation = Donation.objects.get()
    assert "中国工商银行南京雨花台支行" in body and "4301 0000 0900 0012 345" in body
    assert "翠竹园社区邻里中心一楼" in body and "周一至周五 9:00–17:00" in body
    assert f"捐赠编号 {donation.pk}" in body
    assert 'id="payment-qr"' in body and '<svg role="img"' in body
    assert "data-back" in body and 'class="bottombar"' in body


def test_the_api_tells_a_machine_where_to_pay(client: Any, world: Any, payee: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["resident"])
    response = client.post(
        "/api/v1/charity/donations",
        {"project_id": world.project.pk, "amount_fen": 1000},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["payee"]["account"] == "4301 0000 0900 0012 345" and data["reference"]


def test_a_project_without_an_account_says_to_pay_at_the_office(
    client: Any, world: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["resident"])
    body = client.post(
        f"/charity/projects/{world.project.pk}/donate/", {"amount": "10"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "has not published a bank account" in body


def test_after_a_claim_the_page_says_what_happens_next_in_a_positive_tone(
    client: Any, world: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["resident"])
    page = client.post(f"/charity/needs/{world.wish.pk}/", {"shares": 1}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert 'id="next-steps"' in body
    assert "will phone you within 3 working days" in body
    assert "Bring the item itself" in body
    assert "cannot be claimed" not in body and "already covered" not in body


def test_someone_else_sees_a_covered_need_kindly(client: Any, world: Any, personas: dict[str, Any]) -> None:
    from jishiyu.charity import services

    services.claim_create(actor=personas["resident"], need=world.wish)
    client.force_login(personas["outsider"])
    body = client.get(f"/charity/needs/{world.wish.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This need is already covered" in body and 'id="next-steps"' not in body


@pytest.mark.parametrize(
    "url", ["/charity/", "/charity/mine/", "/charity/projects/{project}/", "/charity/needs/{need}/"]
)
def test_the_charity_pages_extend_the_resident_base_with_elder_mode(
    client: Any, world: Any, personas: dict[str, Any], url: str
) -> None:
    user = personas["resident"]
    user.elder_mode = True
    user.save(update_fields=["elder_mode"])
    client.force_login(user)
    body = client.get(url.format(project=world.project.pk, need=world.wish.pk)).content.decode()
    assert 'class="elder"' in body and "data-back" in body and 'class="bottombar"' in body


def test_the_big_screen_has_its_own_full_screen_layout_without_the_staff_header(
    client: Any, roadshow: Roadshow, personas: dict[str, Any]
) -> None:
    client.force_login(personas["community_worker"])
    body = client.get(f"/charity/roadshows/{roadshow.pk}/board/").content.decode()
    assert 'class="topbar"' not in body and "staffnav" not in body and 'class="bottombar"' not in body
    assert "data-fullscreen" in body and "charity/board.js" in body and "charity/board.css" in body
    assert 'hx-trigger="every 2s"' in body and "<script>" not in body
