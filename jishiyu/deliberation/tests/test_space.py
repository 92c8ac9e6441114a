"""The compound's table: parties, topics through the transition table, comments, meetings, actions."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from jishiyu.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from jishiyu.deliberation import services
from jishiyu.deliberation.models import Action, Comment, Meeting, MeetingRule, Party, Topic
from jishiyu.deliberation.tests.factories import build_estate
from jishiyu.notifications.models import Notification
from jishiyu.organisations.models import Organisation

S = Topic.Stage


@pytest.fixture
def estate(tree: Any, personas: Any) -> Any:
    return build_estate(tree)


@pytest.fixture
def secretary(personas: Any) -> Any:
    return personas["community_secretary"]


@pytest.fixture
def topic(estate: Any) -> Topic:
    return services.topic_propose(actor=estate.owners["乙"], compound=estate.compound, title="楼道灯不亮", body="")


def test_setting_up_the_space_creates_the_four_parties_with_their_organisations(estate, tree, secretary) -> None:
    Organisation.objects.create(kind="owners_committee", name="翠竹园业主委员会", region=tree.compound)
    parties = services.space_setup(actor=secretary, compound=estate.compound)
    assert sorted(p.kind for p in parties) == sorted(Party.Kind.values)
    assert Party.objects.get(kind="owners_committee").name == "翠竹园业主委员会"


def test_an_owner_proposes_a_topic_and_the_parties_are_told(estate, secretary, personas) -> None:
    party = services.space_setup(actor=secretary, compound=estate.compound)[0]
    services.party_member_add(actor=secretary, party=party, user=personas["community_worker"])
    services.topic_propose(actor=estate.owners["甲"], compound=estate.compound, title="加装电梯")
    assert Notification.objects.filter(user=personas["community_worker"]).count() == 1


def test_someone_from_elsewhere_cannot_propose_a_topic_in_the_compound(estate, personas) -> None:
    with pytest.raises(NotFound):
        services.topic_propose(actor=personas["outsider"], compound=estate.compound, title="x")


FULL_PATH = [S.DISCUSS, S.MEETING, S.RESOLUTION, S.IMPLEMENTATION, S.REVIEW, S.CLOSED]


def test_the_convener_moves_a_topic_along_the_whole_path(topic, secretary) -> None:
    for stage in FULL_PATH:
        topic = services.topic_transition(actor=secretary, topic=topic, to_stage=stage, resolution="修灯")
    assert topic.stage == S.CLOSED
    assert [s.to_stage for s in topic.steps.all()] == FULL_PATH


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.COLLECT, S.MEETING),
        (S.COLLECT, S.RESOLUTION),
        (S.DISCUSS, S.VOTE),
        (S.RESOLUTION, S.CLOSED),
        (S.CLOSED, S.DISCUSS),
        (S.IMPLEMENTATION, S.COLLECT),
    ],
)
def test_an_illegal_move_is_refused(topic, secretary, start, to) -> None:
    Topic.objects.filter(pk=topic.pk).update(stage=start)
    with pytest.raises(DomainError) as excinfo:
        services.topic_transition(actor=secretary, topic=topic, to_stage=to)
    assert excinfo.value.code == "illegal_transition"
    topic.refresh_from_db()
    assert topic.stage == start


def test_a_topic_in_vote_waits_for_the_vote_to_close(topic, secretary) -> None:
    Topic.objects.filter(pk=topic.pk).update(stage=S.VOTE)
    with pytest.raises(DomainError) as excinfo:
        services.topic_transition(actor=secretary, topic=topic, to_stage=S.RESOLUTION, resolution="r")
    assert excinfo.value.code == "vote_pending"


def test_only_the_convener_moves_topics(topic, estate, personas) -> None:
    with pytest.raises(PermissionDenied):
        services.topic_transition(actor=estate.owners["甲"], topic=topic, to_stage=S.DISCUSS)
    with pytest.raises(NotFound):
        services.topic_transition(actor=personas["other_community_worker"], topic=topic, to_stage=S.DISCUSS)


def test_a_delegated_party_member_may_convene(topic, estate, secretary, personas) -> None:
    party = services.space_setup(actor=secretary, compound=estate.compound)[1]
    services.party_member_add(actor=secretary, party=party, user=estate.owners["甲"], convener=True)
    assert services.topic_transition(actor=estate.owners["甲"], topic=topic, to_stage=S.DISCUSS).stage == S.DISCUSS


def test_moving_a_topic_notifies_its_proposer(topic, secretary, estate) -> None:
    services.topic_transition(actor=secretary, topic=topic, to_stage=S.DISCUSS)
    assert Notification.objects.filter(user=estate.owners["乙"]).exists()


def test_hiding_a_comment_needs_a_reason(topic, estate, secretary) -> None:
    comment = services.comment_add(actor=estate.owners["甲"], topic=topic, body="同意")
    with pytest.raises(ValidationFailed):
        services.comment_moderate(actor=secretary, comment=comment, hide=True)
    comment = services.comment_moderate(actor=secretary, comment=comment, hide=True, reason="广告")
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.HIDDEN


@pytest.mark.parametrize(
    ("kind", "entitled", "present", "agreed", "quorate", "carried"),
    [
        ("commercial", 100, 50, 50, False, False),
        ("commercial", 100, 51, 26, True, True),
        ("commercial", 100, 51, 25, True, False),
        ("village", 100, 51, 26, True, True),
    ],
)
def test_residents_meeting_needs_more_than_half_attending_and_agreeing(
    estate, secretary, tree, kind, entitled, present, agreed, quorate, carried
) -> None:
    tree.community.community_kind = kind
    tree.community.save()
    meeting = services.meeting_schedule(
        actor=secretary, compound=estate.compound, title="居民会议", held_at=timezone.now(), kind="residents"
    )
    meeting = services.meeting_record(
        actor=secretary, meeting=meeting, entitled=entitled, present=present, agreed=agreed
    )
    outcome = services.meeting_outcome(Meeting.objects.get(pk=meeting.pk))
    assert outcome is not None
    assert (outcome["quorate"], outcome["carried"]) == (quorate, carried)


def test_the_meeting_rule_table_can_be_edited_by_staff(estate, secretary, tree) -> None:
    MeetingRule.objects.create(community_kind="commercial", law="自定", attend_share="2/3", attend_strict=False)
    tree.community.community_kind = "commercial"
    tree.community.save()
    meeting = services.meeting_schedule(
        actor=secretary, compound=estate.compound, title="居民会议", held_at=timezone.now(), kind="residents"
    )
    services.meeting_record(actor=secretary, meeting=meeting, entitled=90, present=60, agreed=31)
    assert services.meeting_outcome(Meeting.objects.get(pk=meeting.pk)) == {
        "law": "自定",
        "quorate": True,
        "carried": True,
    }


def test_a_resolution_becomes_an_action_that_is_done_at_100_percent(topic, secretary) -> None:
    for stage in [S.DISCUSS, S.MEETING]:
        topic = services.topic_transition(actor=secretary, topic=topic, to_stage=stage)
    topic = services.topic_transition(actor=secretary, topic=topic, to_stage=S.RESOLUTION, resolution="换灯")
    action = services.action_create(
        actor=secretary, topic=topic, title="更换楼道灯", due_date=timezone.localdate() + datetime.timedelta(days=7)
    )
    services.action_progress(actor=secretary, action=action, text="已完成", progress=100)
    action = Action.objects.get(pk=action.pk)
    assert (action.status, action.done_on) == (Action.Status.DONE, timezone.localdate())


def test_an_action_before_the_resolution_is_refused(topic, secretary) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        services.action_create(actor=secretary, topic=topic, title="x", due_date=timezone.localdate())
    assert "topic" in excinfo.value.errors
