"""The owner's vote as a resident meets it: the matter in words with its legal basis, the documents, and a
confirmation step before the ballot is stored; one resident base with back link, bottom bar and elder mode."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jishiyu.core.errors import DomainError
from jishiyu.deliberation import services
from jishiyu.deliberation.models import Ballot, VoteDocument
from jishiyu.deliberation.tests.factories import build_estate


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def estate(tree: Any, personas: Any) -> Any:
    return build_estate(tree)


@pytest.fixture
def secretary(personas: Any) -> Any:
    return personas["community_secretary"]


@pytest.fixture
def draft(estate: Any, secretary: Any) -> Any:
    return services.vote_create(
        actor=secretary,
        compound=estate.compound,
        title="加装电梯",
        body="在1号楼加装一部电梯，费用约60万元，由维修资金支付三成。",
        matter=7,
        closes_at=timezone.now() + datetime.timedelta(days=7),
    )


@pytest.fixture
def vote(draft: Any, secretary: Any) -> Any:
    services.vote_document_add(
        actor=secretary, vote=draft, title="加装电梯方案", file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan")
    )
    return services.vote_open(actor=secretary, vote=draft)


def test_the_vote_page_shows_the_proposal_its_documents_and_the_legal_basis_in_words(client, estate, vote) -> None:
    client.force_login(estate.owners["乙"])
    body = client.get(f"/compounds/votes/{vote.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "在1号楼加装一部电梯" in body
    assert "加装电梯方案" in body
    assert "《民法典》第二百七十八条第一款第七项" in body
    assert ">7. " not in body and "改建、重建建筑物及其附属设施" in body
    assert "四分之三" in body


def test_an_owner_reads_a_document_of_the_vote(client, estate, vote) -> None:
    client.force_login(estate.owners["乙"])
    document = VoteDocument.objects.get(vote=vote)
    response = client.get(f"/compounds/votes/{vote.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 plan"


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker"])
def test_a_vote_document_is_not_found_for_those_outside(client, personas, vote, persona) -> None:
    document = VoteDocument.objects.get(vote=vote)
    client.force_login(personas[persona])
    assert client.get(f"/compounds/votes/{vote.pk}/documents/{document.pk}/").status_code == 404


def test_documents_are_attached_only_while_the_vote_is_a_draft(estate, vote, secretary) -> None:
    with pytest.raises(DomainError):
        services.vote_document_add(
            actor=secretary, vote=vote, title="补充", file=SimpleUploadedFile("more.pdf", b"%PDF")
        )


def test_an_owner_cannot_attach_a_document(client, estate, draft) -> None:
    client.force_login(estate.owners["甲"])
    client.post(
        f"/compounds/votes/{draft.pk}/documents/",
        {"title": "x", "file": SimpleUploadedFile("x.pdf", b"%PDF")},
    )
    assert not VoteDocument.objects.exists()


def test_staff_attach_a_document_on_the_draft_vote_page_and_a_bad_file_is_named(client, draft, secretary) -> None:
    client.force_login(secretary)
    client.post(
        f"/compounds/votes/{draft.pk}/documents/", {"title": "报价单", "file": SimpleUploadedFile("q.pdf", b"%PDF")}
    )
    assert VoteDocument.objects.get().title == "报价单"
    page = client.post(
        f"/compounds/votes/{draft.pk}/documents/",
        {"title": "病毒", "file": SimpleUploadedFile("x.exe", b"MZ")},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Upload the document as PDF" in page.content.decode()
    assert VoteDocument.objects.count() == 1


def test_a_tap_on_a_choice_stores_nothing_and_asks_for_confirmation(client, estate, vote) -> None:
    client.force_login(estate.owners["乙"])
    page = client.post(f"/compounds/votes/{vote.pk}/ballot/", {"choice": "against"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    body = page.content.decode()
    assert "data-confirm" in body and 'name="confirm" value="yes"' in body
    assert "反对" in body and "不能更改" in body
    assert not Ballot.objects.exists()


def test_the_confirmed_ballot_is_stored_once(client, estate, vote) -> None:
    client.force_login(estate.owners["乙"])
    response = client.post(f"/compounds/votes/{vote.pk}/ballot/", {"choice": "against", "confirm": "yes"})
    assert response.status_code == 302
    assert Ballot.objects.get(vote=vote).choice == "against"


def test_a_second_ballot_is_refused_with_a_clear_message(client, estate, vote) -> None:
    client.force_login(estate.owners["乙"])
    client.post(f"/compounds/votes/{vote.pk}/ballot/", {"choice": "for", "confirm": "yes"})
    for data in ({"choice": "against"}, {"choice": "against", "confirm": "yes"}):
        page = client.post(f"/compounds/votes/{vote.pk}/ballot/", data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
        body = page.content.decode()
        assert "You have already voted (For). A ballot cannot be changed or cast twice." in body
        assert "data-confirm-submit" not in body
    assert Ballot.objects.get(vote=vote).choice == "for"


def test_an_unknown_choice_is_named_and_stores_nothing(client, estate, vote) -> None:
    client.force_login(estate.owners["乙"])
    page = client.post(
        f"/compounds/votes/{vote.pk}/ballot/",
        {"choice": "maybe", "confirm": "yes"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Choose for, against or abstain." in page.content.decode()
    assert not Ballot.objects.exists()


def test_the_api_still_casts_in_one_call(client, estate, vote) -> None:
    client.force_login(estate.owners["乙"])
    url = f"/api/v1/deliberation/votes/{vote.pk}/ballot"
    assert client.post(url, {"choice": "for"}, content_type="application/json").status_code == 201
    assert client.get(f"/api/v1/deliberation/votes/{vote.pk}").json()["body"].startswith("在1号楼")


@pytest.mark.parametrize(
    "url",
    ["/compounds/votes/{vote}/", "/compounds/{compound}/", "/compounds/{compound}/actions/"],
)
def test_the_compound_pages_extend_the_resident_base_with_elder_mode(client, estate, vote, url) -> None:
    user = estate.owners["乙"]
    user.elder_mode = True
    user.save(update_fields=["elder_mode"])
    client.force_login(user)
    body = client.get(url.format(vote=vote.pk, compound=estate.compound.pk)).content.decode()
    assert 'class="elder"' in body
    assert "data-back" in body and 'class="bottombar"' in body
    assert "resident.css" in body
