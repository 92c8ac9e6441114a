"""Residents' meetings of village communities: the villagers' committee law's alternative quorum of at least
2/3 of the household representatives, kept as a row of the MeetingRule table (村民会议: 三分之二以上的户代表)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from jishiyu.core.errors import ValidationFailed
from jishiyu.deliberation import services
from jishiyu.deliberation.models import Meeting, MeetingRule
from jishiyu.deliberation.tests.factories import build_estate


@pytest.fixture
def estate(tree: Any, personas: Any) -> Any:
    tree.community.community_kind = "village"
    tree.community.save()
    return build_estate(tree)


@pytest.fixture
def secretary(personas: Any) -> Any:
    return personas["community_secretary"]


def _households_meeting(secretary: Any, estate: Any, entitled: int, present: int, agreed: int) -> Meeting:
    meeting = services.meeting_schedule(
        actor=secretary,
        compound=estate.compound,
        title="村民会议",
        held_at=timezone.now(),
        kind="residents",
        quorum_basis="households",
    )
    services.meeting_record(actor=secretary, meeting=meeting, entitled=entitled, present=present, agreed=agreed)
    return Meeting.objects.get(pk=meeting.pk)


@pytest.mark.django_db
def test_the_household_rule_is_a_row_of_the_meeting_rule_table() -> None:
    row = MeetingRule.objects.get(community_kind="village:households")
    assert (row.attend_share, row.attend_strict, row.agree_share, row.agree_strict) == ("2/3", False, "1/2", True)


@pytest.mark.parametrize(
    ("entitled", "present", "agreed", "quorate", "carried"),
    [
        (90, 60, 31, True, True),  # exactly 2/3 of the households: "at least" includes the boundary
        (90, 59, 59, False, False),  # one household short of 2/3
        (90, 60, 30, True, False),  # exactly half of those present is not "more than half"
        (3, 2, 2, True, True),
    ],
)
def test_a_village_meeting_of_household_representatives_needs_two_thirds_attending(
    estate, secretary, entitled, present, agreed, quorate, carried
) -> None:
    outcome = services.meeting_outcome(_households_meeting(secretary, estate, entitled, present, agreed))
    assert outcome is not None
    assert (outcome["quorate"], outcome["carried"]) == (quorate, carried)
    assert "户代表" in outcome["law"]


def test_counted_by_villagers_the_same_attendance_is_not_enough_without_more_than_half(estate, secretary) -> None:
    meeting = services.meeting_schedule(
        actor=secretary, compound=estate.compound, title="村民会议", held_at=timezone.now(), kind="residents"
    )
    services.meeting_record(actor=secretary, meeting=meeting, entitled=100, present=50, agreed=50)
    outcome = services.meeting_outcome(Meeting.objects.get(pk=meeting.pk))
    assert outcome is not None and outcome["quorate"] is False


def test_staff_may_edit_the_household_rule_row(estate, secretary) -> None:
    MeetingRule.objects.filter(community_kind="village:households").update(attend_share="3/4")
    outcome = services.meeting_outcome(_households_meeting(secretary, estate, 90, 60, 40))
    assert outcome is not None and outcome["quorate"] is False


def test_household_representatives_are_refused_outside_a_village(estate, secretary, tree) -> None:
    tree.community.community_kind = "commercial"
    tree.community.save()
    with pytest.raises(ValidationFailed) as excinfo:
        services.meeting_schedule(
            actor=secretary,
            compound=estate.compound,
            title="居民会议",
            held_at=timezone.now(),
            kind="residents",
            quorum_basis="households",
        )
    assert "quorum_basis" in excinfo.value.errors
    assert not Meeting.objects.exists()


def test_a_four_party_meeting_cannot_count_household_representatives(estate, secretary) -> None:
    with pytest.raises(ValidationFailed):
        services.meeting_schedule(
            actor=secretary, compound=estate.compound, title="四方会", held_at=timezone.now(), quorum_basis="households"
        )


def test_the_api_schedules_a_village_meeting_by_households(client, estate, secretary) -> None:
    client.force_login(secretary)
    response = client.post(
        f"/api/v1/deliberation/compounds/{estate.compound.pk}/meetings",
        {"title": "村民会议", "kind": "residents", "quorum_basis": "households", "held_at": "2030-05-01T19:00:00Z"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["quorum_basis"] == "households"
