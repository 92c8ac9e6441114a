"""The charity API: public reads, scoped staff reads and writes, problem details for bad input."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jishiyu.audit.models import AuditEntry
from jishiyu.charity import services
from jishiyu.charity.models import Donation, LedgerEntry, Roadshow

API = "/api/v1/charity"
TRANSACTION_CONTROL = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b", re.IGNORECASE)


def post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(API + url, data, content_type="application/json")


def test_anyone_reads_a_published_projects_public_page_with_where_the_money_went(
    client: Any, world: Any, personas: dict[str, Any]
) -> None:
    services.ledger_record(
        actor=personas["street_official"],
        project=world.project,
        source=world.foundation_source,
        kind="received",
        amount_fen=100_000,
    )
    services.ledger_record(
        actor=personas["street_official"],
        project=world.project,
        source=world.foundation_source,
        kind="allocated",
        amount_fen=60_000,
    )
    services.ledger_record(
        actor=personas["street_official"],
        project=world.project,
        source=world.foundation_source,
        kind="spent",
        amount_fen=40_000,
        note="三月午餐",
    )
    body = client.get(f"{API}/projects/{world.project.pk}/public").json()
    assert body["total"]["received"] == 100_000 and body["total"]["spent"] == 40_000
    assert body["by_source"][0]["source_name"] == "科菲平基金会"
    assert body["uses"][0]["note"] == "三月午餐"


def test_a_draft_project_has_no_public_page(client: Any, world: Any) -> None:
    world.project.status = "draft"
    world.project.save()
    assert client.get(f"{API}/projects/{world.project.pk}/public").status_code == 404


def test_the_staff_project_list_is_scoped(client: Any, world: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["community_worker"])
    names = [p["name"] for p in client.get(f"{API}/projects").json()["items"]]
    assert names == ["翠竹园助老餐桌"]
    client.force_login(personas["other_community_worker"])
    assert [p["name"] for p in client.get(f"{API}/projects").json()["items"]] == ["新林儿童之家"]
    client.force_login(personas["outsider"])
    assert client.get(f"{API}/projects").json()["items"] == []


def test_an_outsider_cannot_read_a_projects_ledger(client: Any, world: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["outsider"])
    assert client.get(f"{API}/projects/{world.project.pk}/ledger").status_code == 404
    client.force_login(personas["other_community_worker"])
    assert client.get(f"{API}/projects/{world.project.pk}/ledger").status_code == 404


def test_a_fractional_fen_amount_answers_422_naming_the_field(
    client: Any, world: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["street_official"])
    response = post(
        client,
        "/ledger",
        {"project_id": world.project.pk, "source_id": world.district_source.pk, "kind": "received", "amount_fen": 10.5},
    )
    assert response.status_code == 422
    assert "amount_fen" in response.json()["errors"]
    assert not LedgerEntry.objects.exists()


def test_allocating_more_than_held_answers_400_and_writes_nothing(
    client: Any, world: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["street_official"])
    response = post(
        client,
        "/ledger",
        {"project_id": world.project.pk, "source_id": world.district_source.pk, "kind": "allocated", "amount_fen": 1},
    )
    assert response.status_code == 400
    assert not LedgerEntry.objects.exists()


def test_an_outsider_cannot_record_on_a_ledger(client: Any, world: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["outsider"])
    response = post(
        client,
        "/ledger",
        {"project_id": world.project.pk, "source_id": world.district_source.pk, "kind": "received", "amount_fen": 1},
    )
    assert response.status_code == 404


def test_a_signed_in_donor_claims_a_need_by_its_code_url(client: Any, world: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["resident"])
    response = post(client, f"/needs/{world.wish.pk}/claims", {})
    assert response.status_code == 201
    assert response.json()["donor_name"] == personas["resident"].name
    assert post(client, f"/needs/{world.wish.pk}/claims", {}).status_code == 400


def test_a_claim_takes_eight_statements_and_is_audited_with_its_region(
    client: Any, world: Any, personas: dict[str, Any], api_token: Any
) -> None:
    """Token, need (project and regions joined), public source; then claim, pledge and their two audit
    entries, and one conditional UPDATE that takes the shares (and marks the need covered)."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(personas['outsider'])}"}
    client.logout()
    url = f"{API}/needs/{world.share_need.pk}/claims"
    assert client.post(url, {"shares": 1}, content_type="application/json", **headers).status_code == 201
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, {"shares": 9}, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    statements = [q["sql"] for q in ctx.captured_queries if not TRANSACTION_CONTROL.match(q["sql"])]
    assert len(statements) == 8, statements
    world.share_need.refresh_from_db()
    assert world.share_need.shares_claimed == 10 and world.share_need.status == "covered"
    claim_id = str(response.json()["id"])
    audited = AuditEntry.objects.get(object_type="charity.claim", object_id=claim_id)
    assert audited.region_path == world.share_need.region.path
    pledge = LedgerEntry.objects.get(claim_id=claim_id)
    audited = AuditEntry.objects.get(object_type="charity.ledgerentry", object_id=str(pledge.pk))
    assert audited.region_path == world.project.region.path


def test_claiming_in_someone_elses_name_answers_400(client: Any, world: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["resident"])
    response = post(client, f"/needs/{world.wish.pk}/claims", {"donor_id": personas["outsider"].pk})
    assert response.status_code == 400


def test_staff_confirm_a_claim_with_a_photo(client: Any, world: Any, personas: dict[str, Any]) -> None:
    claim = services.claim_create(actor=personas["resident"], need=world.wish)
    client.force_login(personas["community_worker"])
    photo = SimpleUploadedFile("p.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    response = client.post(f"{API}/claims/{claim.pk}/fulfil", {"photo": photo})
    assert response.status_code == 200 and response.json()["status"] == "fulfilled"


def test_a_donation_to_an_organisation_without_public_fundraising_is_refused(
    client: Any, world: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["resident"])
    response = post(client, "/donations", {"project_id": world.other_project.pk, "amount_fen": 10_000})
    assert response.status_code == 400
    assert not Donation.objects.exists()


def test_a_donation_waits_for_staff_to_confirm_it_and_then_is_received(
    client: Any, world: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["resident"])
    response = post(client, "/donations", {"project_id": world.project.pk, "amount_fen": 10_000, "anonymous": True})
    assert response.status_code == 201
    donation_id = response.json()["donation"]["id"]
    assert not LedgerEntry.objects.exists()
    assert [d["id"] for d in client.get(f"{API}/donations/mine").json()["items"]] == [donation_id]
    assert post(client, f"/donations/{donation_id}/confirm", {}).status_code == 404
    client.force_login(personas["street_official"])
    response = post(client, f"/donations/{donation_id}/confirm", {"receipt_number": "苏财0001"})
    assert response.status_code == 200 and response.json()["receipt_number"] == "苏财0001"
    assert LedgerEntry.objects.get().amount_fen == 10_000


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker"])
def test_roadshow_totals_are_hidden_outside_the_area(
    client: Any, world: Any, personas: dict[str, Any], tree: Any, persona: str
) -> None:
    import datetime

    from django.utils import timezone

    roadshow = Roadshow.objects.create(
        title="路演", region=tree.street, starts_at=timezone.now() + datetime.timedelta(1)
    )
    client.force_login(personas[persona])
    assert client.get(f"{API}/roadshows/{roadshow.pk}/totals").status_code == 404


def test_figures_count_money_by_source_and_claims(client: Any, world: Any, personas: dict[str, Any], tree: Any) -> None:
    services.ledger_record(
        actor=personas["street_official"],
        project=world.project,
        source=world.foundation_source,
        kind="received",
        amount_fen=100_000,
    )
    services.claim_create(actor=personas["resident"], need=world.wish)
    client.force_login(personas["street_official"])
    body = client.get(f"{API}/figures", {"region": tree.street.pk}).json()
    assert body["by_source"]["foundation"]["received"] == 100_000
    assert body["needs"]["claimed"] == 1 and body["needs"]["covered"] == 1
    client.force_login(personas["other_community_worker"])
    assert client.get(f"{API}/figures", {"region": tree.street.pk}).status_code == 404


@pytest.mark.parametrize("amount", [1e30, 10**19, 10**12 + 1])
def test_a_donation_of_an_absurd_amount_answers_422_naming_the_field(
    client: Any, world: Any, personas: dict[str, Any], amount: Any
) -> None:
    client.force_login(personas["resident"])
    response = post(client, "/donations", {"project_id": world.project.pk, "amount_fen": amount})
    assert response.status_code == 422
    assert "amount_fen" in response.json()["errors"]
    assert not Donation.objects.exists()


@pytest.mark.parametrize("amount", [1e30, 10**19])
def test_a_ledger_entry_of_an_absurd_amount_answers_422(
    client: Any, world: Any, personas: dict[str, Any], amount: Any
) -> None:
    client.force_login(personas["street_official"])
    body = {
        "project_id": world.project.pk,
        "source_id": world.district_source.pk,
        "kind": "received",
        "amount_fen": amount,
    }
    response = post(client, "/ledger", body)
    assert response.status_code == 422
    assert "amount_fen" in response.json()["errors"]
    assert not LedgerEntry.objects.exists()
