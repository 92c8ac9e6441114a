"""Charity pages: public project pages, the donor's claim page, the desk, the roadshow board and cards."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from jishiyu.charity import services
from jishiyu.charity.models import Claim, Donation, Roadshow


@pytest.fixture
def roadshow(world: Any, tree: Any) -> Roadshow:
    show = Roadshow.objects.create(title="雨花公益路演", region=tree.community, starts_at=timezone.now())
    show.projects.add(world.project)
    world.wish.roadshow = show
    world.wish.save()
    world.share_need.roadshow = show
    world.share_need.save()
    return show


def test_anyone_sees_the_published_projects(client: Any, world: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(8):
        response = client.get("/charity/")
    assert "翠竹园助老餐桌" in response.content.decode()


def test_a_project_page_offers_donation_only_with_public_fundraising(client: Any, world: Any) -> None:
    assert 'name="amount"' in client.get(f"/charity/projects/{world.project.pk}/").content.decode()
    assert 'name="amount"' not in client.get(f"/charity/projects/{world.other_project.pk}/").content.decode()


def test_a_donor_claims_from_the_need_page(client: Any, world: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["resident"])
    response = client.post(f"/charity/needs/{world.wish.pk}/", {"shares": 1})
    assert response.status_code == 302
    assert Claim.objects.get().donor == personas["resident"]


def test_an_anonymous_visitor_is_sent_to_sign_in_before_claiming(client: Any, world: Any) -> None:
    response = client.post(f"/charity/needs/{world.wish.pk}/", {"shares": 1})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Claim.objects.exists()


def test_a_donation_from_the_page_waits_for_confirmation(client: Any, world: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["resident"])
    response = client.post(f"/charity/projects/{world.project.pk}/donate/", {"amount": "88.80", "anonymous": "on"})
    assert response.status_code == 200
    donation = Donation.objects.get()
    assert donation.amount_fen == 8880 and donation.anonymous
    assert "88.80" in client.get("/charity/mine/").content.decode()


def test_a_fractional_fen_donation_from_the_page_is_refused(client: Any, world: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["resident"])
    client.post(f"/charity/projects/{world.project.pk}/donate/", {"amount": "1.001"})
    assert not Donation.objects.exists()


def test_the_desk_lists_only_projects_in_the_area(client: Any, world: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["community_worker"])
    body = client.get("/charity/desk/").content.decode()
    assert "翠竹园助老餐桌" in body and "新林儿童之家" not in body


@pytest.mark.parametrize("persona", ["outsider", "resident"])
def test_the_desk_is_not_found_for_non_staff(client: Any, world: Any, personas: dict[str, Any], persona: str) -> None:
    client.force_login(personas[persona])
    assert client.get("/charity/desk/").status_code == 404


def test_the_board_shows_claims_as_they_arrive(
    client: Any, roadshow: Roadshow, world: Any, personas: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    services.claim_create(actor=personas["resident"], need=world.wish)
    client.force_login(personas["community_worker"])
    with django_assert_max_num_queries(12):
        body = client.get(f"/charity/roadshows/{roadshow.pk}/board/live/").content.decode()
    assert personas["resident"].name in body and "800" in body


def test_the_board_polls_every_two_seconds_without_inline_script(
    client: Any, roadshow: Roadshow, personas: dict[str, Any]
) -> None:
    client.force_login(personas["community_worker"])
    body = client.get(f"/charity/roadshows/{roadshow.pk}/board/").content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert "<script>" not in body


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker"])
def test_the_board_is_not_found_outside_the_area(
    client: Any, roadshow: Roadshow, personas: dict[str, Any], persona: str
) -> None:
    client.force_login(personas[persona])
    assert client.get(f"/charity/roadshows/{roadshow.pk}/board/").status_code == 404
    assert client.get(f"/charity/roadshows/{roadshow.pk}/cards/").status_code == 404


def test_staff_record_a_raised_card_in_one_tap(
    client: Any, roadshow: Roadshow, world: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["community_worker"])
    response = client.post(f"/charity/needs/{world.wish.pk}/card/", {"donor_name": "雨花某企业", "shares": 1})
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.donor_name == "雨花某企业" and claim.via == Claim.Via.CARD


def test_a_worker_of_another_community_cannot_record_a_card_here(
    client: Any, roadshow: Roadshow, world: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["other_community_worker"])
    response = client.post(f"/charity/needs/{world.wish.pk}/card/", {"donor_name": "某人", "shares": 1})
    assert response.status_code == 404
    assert not Claim.objects.exists()


def test_roadshow_totals_move_from_pledged_to_received(
    roadshow: Roadshow, world: Any, personas: dict[str, Any]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jishiyu.charity.selectors import roadshow_totals

    claim = services.claim_create(actor=personas["resident"], need=world.wish)
    services.claim_create(actor=personas["outsider"], need=world.share_need, shares=2)
    assert roadshow_totals(roadshow=roadshow).pledged == 180_000
    assert roadshow_totals(roadshow=roadshow).received == 0
    services.claim_fulfil(
        actor=personas["community_worker"],
        claim=claim,
        photo=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32),
    )
    assert roadshow_totals(roadshow=roadshow).received == 80_000


def test_a_donor_reads_the_acknowledgement_of_a_confirmed_donation(
    client: Any, world: Any, personas: dict[str, Any]
) -> None:
    donation, _ = services.donation_start(actor=personas["resident"], project=world.project, amount_fen=5000)
    services.donation_confirm(actor=personas["street_official"], donation=donation, receipt_number="NO-1")
    client.force_login(personas["resident"])
    assert "NO-1" in client.get(f"/charity/donations/{donation.pk}/acknowledgement/").content.decode()
    client.force_login(personas["outsider"])
    assert client.get(f"/charity/donations/{donation.pk}/acknowledgement/").status_code == 404
