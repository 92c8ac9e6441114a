"""Members of the four parties (四方成员): add, remove, delegate convening; 404 outside the scope."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.core.errors import NotFound, PermissionDenied
from jishiyu.deliberation import services
from jishiyu.deliberation.models import Party, PartyMember
from jishiyu.deliberation.tests.factories import build_estate
from jishiyu.notifications.models import Notification

API = "/api/v1/deliberation"


@pytest.fixture
def estate(tree: Any, personas: Any) -> Any:
    return build_estate(tree)


@pytest.fixture
def secretary(personas: Any) -> Any:
    return personas["community_secretary"]


@pytest.fixture
def party(estate: Any, secretary: Any) -> Party:
    services.space_setup(actor=secretary, compound=estate.compound)
    return Party.objects.get(compound=estate.compound, kind=Party.Kind.OWNERS_COMMITTEE)


@pytest.fixture
def member(party: Party, estate: Any, secretary: Any) -> PartyMember:
    return services.party_member_add(actor=secretary, party=party, user=estate.owners["甲"], title="主任")


def test_staff_add_a_member_by_mobile_number_on_the_page(client, party, secretary, estate) -> None:
    client.force_login(secretary)
    client.post(f"/compounds/parties/{party.pk}/members/", {"phone": "13700000002", "title": "委员"})
    assert PartyMember.objects.get(party=party).user == estate.owners["乙"]


def test_an_unknown_mobile_number_is_refused_naming_the_field(client, party, secretary) -> None:
    client.force_login(secretary)
    response = client.post(
        f"{API}/parties/{party.pk}/members", {"phone": "13999999999"}, content_type="application/json"
    )
    assert response.status_code == 422 and "phone" in response.content.decode()
    assert PartyMember.objects.count() == 0


def test_the_party_page_lists_members_to_an_owner(client, member, estate, django_assert_max_num_queries) -> None:
    client.force_login(estate.owners["乙"])
    with django_assert_max_num_queries(20):
        page = client.get(f"/compounds/{estate.compound.pk}/parties/")
    assert page.status_code == 200 and "主任" in page.content.decode()


def test_the_api_lists_parties_with_their_members(client, member, estate, secretary) -> None:
    client.force_login(secretary)
    parties = client.get(f"{API}/compounds/{estate.compound.pk}/parties").json()
    assert len(parties) == 4
    owners = next(p for p in parties if p["kind"] == "owners_committee")
    assert [(m["name"], m["title"]) for m in owners["members"]] == [("甲", "主任")]


def test_staff_remove_a_member_through_the_api(client, member, secretary) -> None:
    client.force_login(secretary)
    assert client.delete(f"{API}/members/{member.pk}").status_code == 204
    assert not PartyMember.objects.exists()


def test_an_owner_may_not_remove_a_member(member, estate) -> None:
    with pytest.raises(PermissionDenied):
        services.party_member_remove(actor=estate.owners["乙"], member=member)


def test_the_secretary_delegates_convening_and_the_member_is_told(client, member, secretary, estate) -> None:
    client.force_login(secretary)
    client.post(f"/compounds/members/{member.pk}/convener/", {"convener": "1"})
    assert PartyMember.objects.get(pk=member.pk).convener
    assert services.is_convener(estate.owners["甲"], estate.compound)
    assert Notification.objects.filter(user=estate.owners["甲"]).exists()


def test_withdrawing_the_delegation_ends_the_convener_role(client, member, secretary, estate) -> None:
    services.convener_delegate(actor=secretary, member=member)
    client.force_login(secretary)
    response = client.post(f"{API}/members/{member.pk}/convener", {"convener": False}, content_type="application/json")
    assert response.json()["convener"] is False
    assert not services.is_convener(estate.owners["甲"], estate.compound)


def test_a_community_worker_who_does_not_convene_cannot_delegate(member, personas) -> None:
    with pytest.raises(PermissionDenied):
        services.convener_delegate(actor=personas["community_worker"], member=member)


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker"])
def test_parties_are_not_found_for_those_outside(client, personas, estate, party, member, persona) -> None:
    client.force_login(personas[persona])
    assert client.get(f"/compounds/{estate.compound.pk}/parties/").status_code == 404
    assert client.get(f"{API}/compounds/{estate.compound.pk}/parties").status_code == 404
    assert client.post(f"/compounds/parties/{party.pk}/members/", {"phone": "13700000002"}).status_code == 404
    assert (
        client.post(
            f"{API}/parties/{party.pk}/members", {"phone": "13700000002"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.post(f"/compounds/members/{member.pk}/remove/").status_code == 404
    assert client.delete(f"{API}/members/{member.pk}").status_code == 404
    assert client.post(f"{API}/members/{member.pk}/convener", {}, content_type="application/json").status_code == 404
    assert list(PartyMember.objects.values_list("user__name", "convener")) == [("甲", False)]


def test_a_worker_of_another_community_cannot_add_members_through_the_service(party, personas, estate) -> None:
    with pytest.raises(NotFound):
        services.party_member_add(actor=personas["other_community_worker"], party=party, user=estate.owners["乙"])
