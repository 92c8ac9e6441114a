"""Pages and API of 小区里, with personas who must not see them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jishiyu.deliberation import services
from jishiyu.deliberation.models import Action, Ballot, Topic
from jishiyu.deliberation.tests.factories import build_estate, open_vote, past_close


@pytest.fixture
def estate(tree: Any, personas: Any) -> Any:
    return build_estate(tree)


@pytest.fixture
def secretary(personas: Any) -> Any:
    return personas["community_secretary"]


@pytest.fixture
def vote(estate: Any, secretary: Any) -> Any:
    return open_vote(secretary, estate)


def test_an_owner_votes_with_a_button_on_the_vote_page(client, estate, vote) -> None:
    client.force_login(estate.owners["乙"])
    page = client.get(f"/compounds/votes/{vote.pk}/")
    assert page.status_code == 200
    assert b'name="choice" value="for"' in page.content
    client.post(f"/compounds/votes/{vote.pk}/ballot/", {"choice": "against", "confirm": "yes"})
    assert Ballot.objects.get(vote=vote).choice == "against"


def test_the_closed_vote_page_shows_both_thresholds_and_whether_each_was_met(client, estate, vote, secretary) -> None:
    services.ballot_cast(actor=estate.owners["甲"], vote=vote, choice="for")
    past_close(vote)
    services.vote_close(actor=secretary, vote=vote)
    client.force_login(estate.owners["乙"])
    page = client.get(f"/compounds/votes/{vote.pk}/").content.decode()
    assert "≥ 2/3" in page and "&gt; 1/2" in page
    assert 'class="unmet"' in page


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker"])
def test_a_vote_is_not_found_for_those_outside(client, personas, vote, persona) -> None:
    client.force_login(personas[persona])
    assert client.get(f"/compounds/votes/{vote.pk}/").status_code == 404
    assert client.get(f"/api/v1/deliberation/votes/{vote.pk}").status_code == 404
    assert client.post(f"/compounds/votes/{vote.pk}/ballot/", {"choice": "for"}).status_code == 404
    assert Ballot.objects.count() == 0


def test_the_record_downloads_for_an_owner_and_recounts(client, estate, vote, secretary) -> None:
    past_close(vote)
    services.vote_close(actor=secretary, vote=vote)
    client.force_login(estate.owners["丁"])
    response = client.get(f"/compounds/votes/{vote.pk}/record.json")
    assert response.status_code == 200
    assert json.loads(response.content)["matter"] == 1


def test_the_record_of_an_open_vote_is_not_downloadable(client, secretary, vote) -> None:
    client.force_login(secretary)
    assert client.get(f"/compounds/votes/{vote.pk}/record.json").status_code == 404


def test_a_second_online_ballot_answers_409_through_the_api(client, estate, vote) -> None:
    client.force_login(estate.owners["甲"])
    url = f"/api/v1/deliberation/votes/{vote.pk}/ballot"
    assert client.post(url, {"choice": "for"}, content_type="application/json").status_code == 201
    second = client.post(url, {"choice": "against"}, content_type="application/json")
    assert second.status_code == 409
    assert Ballot.objects.count() == 1


def test_a_non_owner_ballot_answers_400_with_a_reason(client, personas, vote) -> None:
    client.force_login(personas["community_worker"])
    response = client.post(
        f"/api/v1/deliberation/votes/{vote.pk}/ballot", {"choice": "for"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert Ballot.objects.count() == 0


def test_staff_enter_a_paper_ballot_through_the_api(client, secretary, vote) -> None:
    client.force_login(secretary)
    response = client.post(
        f"/api/v1/deliberation/votes/{vote.pk}/paper",
        {"dwelling": "3-1-101", "choice": "abstain"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Ballot.objects.get().owner_key == services.DEVELOPER


def test_owners_see_only_their_compound_in_the_api(client, estate, personas, tree) -> None:
    client.force_login(estate.owners["甲"])
    assert [c["id"] for c in client.get("/api/v1/deliberation/compounds").json()] == [tree.compound.pk]
    client.force_login(personas["other_community_worker"])
    assert client.get("/api/v1/deliberation/compounds").json() == []


def test_an_owner_proposes_a_topic_on_the_compound_page(client, estate) -> None:
    client.force_login(estate.owners["乙"])
    client.post(f"/compounds/{estate.compound.pk}/", {"title": "垃圾分类点太远", "body": ""})
    assert Topic.objects.get().title == "垃圾分类点太远"


def test_the_compound_page_is_not_found_for_an_outsider(client, estate, personas) -> None:
    client.force_login(personas["outsider"])
    assert client.get(f"/compounds/{estate.compound.pk}/").status_code == 404


def test_an_illegal_move_through_the_api_answers_400(client, estate, secretary) -> None:
    topic = services.topic_propose(actor=estate.owners["甲"], compound=estate.compound, title="t")
    client.force_login(secretary)
    response = client.post(
        f"/api/v1/deliberation/topics/{topic.pk}/transition", {"to_stage": "review"}, content_type="application/json"
    )
    assert response.status_code == 400


def test_the_public_actions_page_shows_actions_without_signing_in(client, estate, secretary) -> None:
    topic = services.topic_propose(actor=estate.owners["甲"], compound=estate.compound, title="修路灯")
    for stage in ["discuss", "meeting"]:
        topic = services.topic_transition(actor=secretary, topic=topic, to_stage=stage)
    topic = services.topic_transition(actor=secretary, topic=topic, to_stage="resolution", resolution="修")
    Action.objects.create(compound=estate.compound, topic=topic, title="更换路灯", due_date="2030-01-01")
    page = client.get(f"/compounds/{estate.compound.pk}/actions/")
    assert page.status_code == 200
    assert "更换路灯" in page.content.decode()
    assert "甲" not in page.content.decode()
    assert client.get(f"/api/v1/deliberation/compounds/{estate.compound.pk}/actions").json()[0]["title"] == "更换路灯"


def test_figures_count_votes_and_turnout_in_scope(client, estate, vote, secretary, tree, personas) -> None:
    services.ballot_cast(actor=estate.owners["甲"], vote=vote, choice="for")
    past_close(vote)
    services.vote_close(actor=secretary, vote=vote)
    client.force_login(secretary)
    data = client.get(f"/api/v1/deliberation/figures?region={tree.community.pk}").json()
    assert (data["votes_held"], data["mean_turnout_owners"]) == (1, "1/4")
    client.force_login(personas["other_community_worker"])
    assert client.get(f"/api/v1/deliberation/figures?region={tree.community.pk}").status_code == 404


def test_the_topic_list_keeps_to_a_fixed_number_of_queries(client, estate, django_assert_max_num_queries) -> None:
    for i in range(5):
        services.topic_propose(actor=estate.owners["甲"], compound=estate.compound, title=f"t{i}")
    client.force_login(estate.owners["甲"])
    with django_assert_max_num_queries(16):
        assert len(client.get(f"/api/v1/deliberation/compounds/{estate.compound.pk}/topics").json()) == 5


def test_the_work_page_lists_what_waits_for_the_community_and_keeps_out_the_rest(
    client, estate, vote, secretary, personas
) -> None:
    past_close(vote)
    raised = services.topic_propose(actor=estate.owners["甲"], compound=estate.compound, title="增设充电桩")
    decided = services.topic_propose(actor=estate.owners["乙"], compound=estate.compound, title="修路灯")
    for stage in ["discuss", "meeting"]:
        decided = services.topic_transition(actor=secretary, topic=decided, to_stage=stage)
    decided = services.topic_transition(actor=secretary, topic=decided, to_stage="resolution", resolution="修")
    Action.objects.create(compound=estate.compound, topic=decided, title="更换路灯", due_date="2020-01-01")
    Action.objects.create(compound=estate.compound, topic=decided, title="清理绿化", due_date="2099-01-01")

    client.force_login(secretary)
    page = client.get("/compounds/work/").content.decode()
    assert page.count('data-row="vote"') == 1 and vote.title in page
    assert page.count('data-row="action"') == 1 and "更换路灯" in page and "清理绿化" not in page
    assert page.count('data-row="topic"') == 1 and raised.title in page
    only_votes = client.get("/compounds/work/?show=votes").content.decode()
    assert 'data-row="vote"' in only_votes and 'id="actions"' not in only_votes

    client.force_login(personas["other_community_worker"])  # another community's worker: her lists are empty
    other = client.get("/compounds/work/")
    assert other.status_code == 200
    assert 'data-row="' not in other.content.decode()
    client.force_login(estate.owners["甲"])  # an owner is no staff
    assert client.get("/compounds/work/").status_code == 403
