"""Needs (需求) and claims (认领): whole small wishes, shares until covered, names and consent."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from conftest import make_user
from jishiyu.charity import services
from jishiyu.charity.balances import balance_of
from jishiyu.charity.models import Claim, LedgerEntry, Need
from jishiyu.core.errors import DomainError, NotFound, ValidationFailed
from jishiyu.people.models import Consent, Person


def photo(name: str = "delivery.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0fake", content_type="image/jpeg")


def test_a_donor_claims_a_small_wish_and_a_pledge_enters_the_ledger(world: Any, personas: dict[str, Any]) -> None:
    claim = services.claim_create(actor=personas["resident"], need=world.wish)
    world.wish.refresh_from_db()
    assert world.wish.status == Need.Status.COVERED
    assert claim.donor == personas["resident"] and claim.amount_fen == 80_000
    assert LedgerEntry.objects.get().kind == LedgerEntry.Kind.PLEDGED


def test_claims_pledge_from_the_districts_one_public_source_made_on_first_use(
    world: Any, personas: dict[str, Any]
) -> None:
    from jishiyu.charity.models import FundingSource

    assert not FundingSource.objects.filter(kind=FundingSource.Kind.PUBLIC).exists()
    first = services.claim_create(actor=personas["resident"], need=world.wish)
    public = FundingSource.objects.get(kind=FundingSource.Kind.PUBLIC)
    assert first.source_id == public.pk and public.region_id == world.project.region.ancestor_ids()[0]
    # the memo learned of the new source: later claims reuse it, none is made twice
    services.public_sources.get()
    later = services.claim_create(actor=personas["resident"], need=world.share_need)
    assert later.source_id == public.pk
    assert FundingSource.objects.filter(kind=FundingSource.Kind.PUBLIC).count() == 1


def test_a_small_wish_cannot_be_claimed_twice(world: Any, personas: dict[str, Any]) -> None:
    services.claim_create(actor=personas["resident"], need=world.wish)
    with pytest.raises(DomainError) as exc:
        services.claim_create(actor=personas["outsider"], need=world.wish)
    assert exc.value.message == services.NEED_COVERED
    assert Claim.objects.count() == 1 and LedgerEntry.objects.count() == 1


def test_a_small_wish_is_claimed_whole(world: Any, personas: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        services.claim_create(actor=personas["resident"], need=world.wish, shares=2)


def test_a_project_need_is_claimed_in_shares_until_covered(world: Any, personas: dict[str, Any]) -> None:
    services.claim_create(actor=personas["resident"], need=world.share_need, shares=6)
    services.claim_create(actor=personas["outsider"], need=world.share_need, shares=4)
    world.share_need.refresh_from_db()
    assert world.share_need.status == Need.Status.COVERED and world.share_need.shares_claimed == 10


def test_over_claiming_a_share_need_is_refused_and_the_ledger_is_unchanged(
    world: Any, personas: dict[str, Any]
) -> None:
    services.claim_create(actor=personas["resident"], need=world.share_need, shares=7)
    with pytest.raises(DomainError) as exc:
        services.claim_create(actor=personas["outsider"], need=world.share_need, shares=4)
    assert exc.value.field == "shares"
    assert LedgerEntry.objects.count() == 1
    world.share_need.refresh_from_db()
    assert world.share_need.shares_claimed == 7


def test_a_claim_on_a_withdrawn_need_is_refused(world: Any, personas: dict[str, Any]) -> None:
    services.need_withdraw(actor=personas["community_worker"], need=world.wish)
    with pytest.raises(DomainError) as exc:
        services.claim_create(actor=personas["resident"], need=world.wish)
    assert exc.value.message == services.NEED_WITHDRAWN
    assert not LedgerEntry.objects.exists()


def test_a_donor_cannot_claim_in_someone_elses_name(world: Any, personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as exc:
        services.claim_create(actor=personas["resident"], need=world.wish, donor=personas["outsider"])
    assert exc.value.message == services.OTHER_NAME
    with pytest.raises(DomainError):
        services.claim_create(actor=personas["resident"], need=world.wish, donor_name="张三")
    assert not Claim.objects.exists()


def test_staff_raise_a_card_for_a_named_donor(world: Any, personas: dict[str, Any]) -> None:
    claim = services.claim_create(
        actor=personas["community_worker"], need=world.wish, via=Claim.Via.CARD, donor_name="南京某科技公司"
    )
    assert claim.donor is None and claim.donor_name == "南京某科技公司"
    assert claim.recorded_by == personas["community_worker"]


def test_a_resident_cannot_raise_a_card_for_someone_else(world: Any, personas: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        services.claim_create(actor=personas["resident"], need=world.wish, via=Claim.Via.CARD, donor_name="某人")


def test_a_worker_of_another_community_cannot_raise_a_card_here(world: Any, personas: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        services.claim_create(
            actor=personas["other_community_worker"], need=world.wish, via=Claim.Via.CARD, donor_name="某人"
        )


def test_fulfilling_a_claim_with_a_photo_turns_the_pledge_into_money_received(
    world: Any, personas: dict[str, Any]
) -> None:
    claim = services.claim_create(actor=personas["resident"], need=world.wish)
    services.claim_fulfil(actor=personas["community_worker"], claim=claim, photo=photo())
    balance = balance_of(LedgerEntry.objects.filter(project=world.project))
    assert balance.pledged == 80_000 and balance.received == 80_000
    assert Claim.objects.get().status == Claim.Status.FULFILLED


def test_a_claim_is_not_confirmed_without_a_photo(world: Any, personas: dict[str, Any]) -> None:
    claim = services.claim_create(actor=personas["resident"], need=world.wish)
    with pytest.raises(ValidationFailed) as exc:
        services.claim_fulfil(actor=personas["community_worker"], claim=claim, photo=None)
    assert "photo" in exc.value.errors
    assert LedgerEntry.objects.count() == 1


def test_a_claim_is_fulfilled_only_once(world: Any, personas: dict[str, Any]) -> None:
    claim = services.claim_create(actor=personas["resident"], need=world.wish)
    services.claim_fulfil(actor=personas["community_worker"], claim=claim, photo=photo())
    with pytest.raises(DomainError):
        services.claim_fulfil(actor=personas["community_worker"], claim=claim, photo=photo())
    assert LedgerEntry.objects.count() == 2


def test_a_persons_need_is_posted_only_with_their_consent_and_a_masked_name(
    world: Any, personas: dict[str, Any], tree: Any
) -> None:
    person = Person.objects.create(region=tree.grid, name="王秀英")
    worker = personas["community_worker"]
    with pytest.raises(DomainError) as exc:
        services.need_create(
            actor=worker, project=world.project, kind="small_wish", title="轮椅", share_fen=50_000, person=person
        )
    assert exc.value.message == services.NO_CONSENT
    Consent.objects.create(person=person, purpose=Consent.Purpose.PUBLIC_NEED, granted=True)
    need = services.need_create(
        actor=worker, project=world.project, kind="small_wish", title="轮椅", share_fen=50_000, person=person
    )
    assert need.beneficiary_masked == "王**"


def test_a_need_with_a_fractional_fen_share_is_refused(world: Any, personas: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.need_create(
            actor=personas["community_worker"], project=world.project, kind="small_wish", title="书包", share_fen=9.5
        )
    assert "share_fen" in exc.value.errors


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_claims_on_one_small_wish_give_exactly_one_winner(world: Any) -> None:
    donors = [make_user(f"1370000{i:04d}", f"捐赠人{i}") for i in range(50)]
    barrier = threading.Barrier(len(donors))
    outcomes: list[str] = []
    lock = threading.Lock()

    def claim(donor: Any) -> None:
        try:
            barrier.wait()
            services.claim_create(actor=donor, need=world.wish)
            result = "won"
        except DomainError as exc:
            result = str(exc.code)
        except Exception as exc:  # a database error would be a failure of the design: report it
            result = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=claim, args=(d,)) for d in donors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count("need_covered") == 49, outcomes
    assert Claim.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="pledged").count() == 1


def test_a_progress_photo_is_checked_by_content_renamed_and_served_by_the_project_page(
    client: Any, world: Any, personas: dict[str, Any]
) -> None:
    html = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(ValidationFailed) as exc:
        services.report_add(actor=personas["community_worker"], project=world.project, text="进展", photo=html)
    assert "photo" in exc.value.errors
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    report = services.report_add(
        actor=personas["community_worker"],
        project=world.project,
        text="进展",
        photo=SimpleUploadedFile("张三家.png", png, content_type="image/png"),
    )
    assert "张三" not in report.photo.name and report.photo.name.endswith(".png")
    page = client.get(f"/charity/projects/{world.project.pk}/").content.decode()
    url = f"/charity/projects/{world.project.pk}/reports/{report.pk}/photo"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png
