"""Owners' votes in the app: electorate, ballots, refusals, close, export and the independent recount."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from jishiyu.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from jishiyu.deliberation import services
from jishiyu.deliberation.models import Ballot, Elector
from jishiyu.deliberation.tests.factories import build_estate, open_vote, past_close
from jishiyu.regions.models import Dwelling


@pytest.fixture
def estate(tree: Any, personas: Any) -> Any:
    return build_estate(tree)


@pytest.fixture
def secretary(personas: Any) -> Any:
    return personas["community_secretary"]


def test_the_electorate_is_frozen_with_one_owner_key_per_owner_and_one_for_the_developer(estate, secretary) -> None:
    vote = open_vote(secretary, estate)
    keys = dict(Elector.objects.filter(vote=vote).values_list("label", "owner_key"))
    assert len(keys) == 6
    assert keys["1-1-101"] == keys["2-1-101"]
    assert keys["3-1-101"] == keys["3-1-102"] == services.DEVELOPER
    assert len(set(keys.values())) == 4


def test_a_vote_among_two_buildings_only_counts_their_dwellings(estate, secretary) -> None:
    vote = open_vote(secretary, estate, buildings=estate.buildings[:2])
    assert sorted(Elector.objects.filter(vote=vote).values_list("label", flat=True)) == [
        "1-1-101",
        "1-1-102",
        "2-1-101",
        "2-1-102",
    ]


def test_an_online_ballot_covers_every_dwelling_of_that_owner(estate, secretary) -> None:
    vote = open_vote(secretary, estate)
    services.ballot_cast(actor=estate.owners["甲"], vote=vote, choice="for")
    result = services.vote_tally(vote)
    assert result.voted_area == 160
    assert result.voted_owners == 1


def test_a_ballot_from_someone_owning_nothing_in_the_electorate_is_refused(estate, secretary, personas) -> None:
    vote = open_vote(secretary, estate)
    with pytest.raises(DomainError) as excinfo:
        services.ballot_cast(actor=personas["outsider"], vote=vote, choice="for")
    assert excinfo.value.code == "not_an_owner"
    assert Ballot.objects.count() == 0


def test_an_owner_outside_the_chosen_buildings_is_refused(estate, secretary) -> None:
    vote = open_vote(secretary, estate, buildings=estate.buildings[1:2])
    with pytest.raises(DomainError) as excinfo:
        services.ballot_cast(actor=estate.owners["乙"], vote=vote, choice="for")
    assert excinfo.value.code == "not_an_owner"


def test_a_co_owner_who_is_not_the_representative_is_refused(estate, secretary) -> None:
    vote = open_vote(secretary, estate)
    with pytest.raises(DomainError) as excinfo:
        services.ballot_cast(actor=estate.owners["丁"], vote=vote, choice="for")
    assert excinfo.value.code == "not_representative"


def test_an_unverified_owner_cannot_vote_online(estate, secretary) -> None:
    estate.persons["乙"].ownerships.update(verified_at=None)
    vote = open_vote(secretary, estate)
    with pytest.raises(DomainError) as excinfo:
        services.ballot_cast(actor=estate.owners["乙"], vote=vote, choice="for")
    assert excinfo.value.code == "not_verified"


def test_a_second_ballot_from_the_same_owner_is_refused_and_not_counted(estate, secretary) -> None:
    vote = open_vote(secretary, estate)
    services.ballot_cast(actor=estate.owners["甲"], vote=vote, choice="for")
    with pytest.raises(Conflict):
        services.ballot_enter(actor=secretary, vote=vote, dwelling_label="2-1-101", choice="against")
    assert services.vote_tally(vote).voted_owners == 1


def test_the_database_refuses_a_second_ballot_for_one_owner(estate, secretary) -> None:
    vote = open_vote(secretary, estate)
    Ballot.objects.create(vote=vote, owner_key="p1", choice="for", channel="paper")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, owner_key="p1", choice="against", channel="paper")


def test_a_ballot_after_the_closing_time_is_refused(estate, secretary) -> None:
    vote = open_vote(secretary, estate)
    past_close(vote)
    with pytest.raises(DomainError) as excinfo:
        services.ballot_cast(actor=estate.owners["甲"], vote=vote, choice="for")
    assert excinfo.value.code == "vote_closed"


def test_a_ballot_after_the_vote_is_closed_is_refused(estate, secretary) -> None:
    vote = open_vote(secretary, estate)
    past_close(vote)
    services.vote_close(actor=secretary, vote=vote)
    with pytest.raises(DomainError):
        services.ballot_enter(actor=secretary, vote=vote, dwelling_label="1-1-102", choice="for")
    assert Ballot.objects.count() == 0


def test_a_dwelling_without_an_area_stops_the_vote_from_opening_and_is_named(estate, secretary) -> None:
    Dwelling.objects.filter(pk=estate.dwellings["1-1-102"].pk).update(exclusive_area=None)
    vote = services.vote_create(
        actor=secretary, compound=estate.compound, title="t", matter=1, closes_at=open_vote_close()
    )
    with pytest.raises(ValidationFailed) as excinfo:
        services.vote_open(actor=secretary, vote=vote)
    assert "1-1-102" in str(excinfo.value.errors["dwellings"][0])
    assert Elector.objects.count() == 0


def open_vote_close() -> Any:
    import datetime

    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=3)


def test_staff_enter_the_developer_paper_ballot_once_for_all_its_dwellings(estate, secretary) -> None:
    vote = open_vote(secretary, estate)
    services.ballot_enter(actor=secretary, vote=vote, dwelling_label="3-1-101", choice="abstain", reference="P-1")
    with pytest.raises(Conflict):
        services.ballot_enter(actor=secretary, vote=vote, dwelling_label="3-1-102", choice="for")
    assert services.vote_tally(vote).voted_area == 140


def test_staff_of_another_community_cannot_enter_ballots(estate, secretary, personas) -> None:
    vote = open_vote(secretary, estate)
    with pytest.raises(NotFound):
        services.ballot_enter(
            actor=personas["other_community_worker"], vote=vote, dwelling_label="1-1-102", choice="for"
        )


def test_a_dwelling_outside_the_electorate_is_refused_on_paper(estate, secretary) -> None:
    vote = open_vote(secretary, estate, buildings=estate.buildings[:1])
    with pytest.raises(ValidationFailed) as excinfo:
        services.ballot_enter(actor=secretary, vote=vote, dwelling_label="2-1-101", choice="for")
    assert "dwelling" in excinfo.value.errors


def test_closing_before_the_closing_time_is_refused_while_owners_have_not_voted(estate, secretary) -> None:
    vote = open_vote(secretary, estate)
    with pytest.raises(DomainError) as excinfo:
        services.vote_close(actor=secretary, vote=vote)
    assert excinfo.value.code == "too_early"


def cast_all(vote: Any, estate: Any, secretary: Any) -> None:
    services.ballot_cast(actor=estate.owners["甲"], vote=vote, choice="for")
    services.ballot_cast(actor=estate.owners["乙"], vote=vote, choice="for")
    services.ballot_enter(actor=secretary, vote=vote, dwelling_label="2-1-102", choice="abstain")
    services.ballot_enter(actor=secretary, vote=vote, dwelling_label="3-1-101", choice="against")


def test_a_closed_vote_stores_the_art278_result(estate, secretary) -> None:
    vote = open_vote(secretary, estate, matter=7)
    cast_all(vote, estate, secretary)
    vote = services.vote_close(actor=secretary, vote=vote)
    # voted 470/470; for: 甲 160 + 乙 80 = 240/470 = 24/47 area, 2/4 owners → not 3/4
    assert vote.result == {
        "rule": "art278-major",
        "participation_area": "1/1",
        "participation_owners": "1/1",
        "quorum_met": True,
        "approve_area": "24/47",
        "approve_owners": "1/2",
        "passed": False,
    }


def test_the_exported_record_recounts_to_the_app_result(estate, secretary, tmp_path) -> None:
    vote = open_vote(secretary, estate, matter=4)
    cast_all(vote, estate, secretary)
    vote = services.vote_close(actor=secretary, vote=vote)
    record = services.vote_record(vote)
    path = tmp_path / "vote.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("tally_vote", str(path), stdout=out)
    assert json.loads(out.getvalue()) == vote.result


def test_the_export_uses_pseudonyms_and_one_id_for_the_developer(estate, secretary) -> None:
    vote = open_vote(secretary, estate)
    past_close(vote)
    vote = services.vote_close(actor=secretary, vote=vote)
    record = services.vote_record(vote)
    owners = {d["id"]: d["owner"] for d in record["dwellings"]}
    assert owners["3-1-101"] == owners["3-1-102"] == record["developer_owner"]
    assert owners["1-1-101"] == owners["2-1-101"]
    assert all(o.startswith("o-") for o in owners.values())
    assert {d["area"] for d in record["dwellings"]} >= {"100.00", "80.00"}
    assert Decimal(record["dwellings"][0]["area"]) > 0


def test_owners_and_staff_in_scope_may_download_the_record_others_may_not(estate, secretary, personas) -> None:
    vote = open_vote(secretary, estate)
    assert services.vote_record_allowed(estate.owners["丁"], vote)
    assert services.vote_record_allowed(personas["community_worker"], vote)
    assert not services.vote_record_allowed(personas["outsider"], vote)
    assert not services.vote_record_allowed(personas["other_community_worker"], vote)
