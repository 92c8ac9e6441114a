"""The household (户) pages: the list and a household show only the actor's scope (out of scope is 404),
creating one shows a taken number beside the field, members are added by document number or phone
(found only in scope), refused while they belong to another household, re-related and removed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jishiyu.audit.models import AuditEntry
from jishiyu.core.testing import make_id_number
from jishiyu.people.forms import NO_RESIDENT_IN_AREA
from jishiyu.people.models import HEAD_OF_HOUSEHOLD, Household, Person
from jishiyu.people.services import MEMBER_OF_ANOTHER_HOUSEHOLD, MEMBER_OF_HOUSEHOLD_ELSEWHERE
from jishiyu.people.tests.factories import PERSONAS, VIEW_BY_ROLE, build_people, make_person


@pytest.fixture
def data(tree, personas):
    return build_people(tree, personas)


@pytest.fixture
def newcomer(tree):
    """A resident of 翠竹园 who belongs to no household yet."""
    return make_person("新居民", tree.grid2, seq=50, phone="13700000050")


def _detail(household: Household) -> str:
    return reverse("people:household-detail", args=[household.pk])


def _add(household: Household) -> str:
    return reverse("people:household-member-add", args=[household.pk])


def _remove(household: Household, person: Person) -> str:
    return reverse("people:household-member-remove", args=[household.pk, person.pk])


def _relation(household: Household, person: Person) -> str:
    return reverse("people:household-member-update", args=[household.pk, person.pk])


# --- the list ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", PERSONAS)
def test_the_household_list_shows_exactly_the_personas_scope(client, personas, data, who):
    client.force_login(personas[who])
    response = client.get(reverse("people:household-list"))
    if not VIEW_BY_ROLE[who]:  # no role that lists households: refused, not an empty list
        assert response.status_code == 403
        return
    assert response.status_code == 200
    shown = {h.number for h in response.context["page"].object_list}
    assert shown == {f"H-{key}" for key in VIEW_BY_ROLE[who]}


def test_the_list_counts_members_and_names_the_head(client, personas, data, tree):
    household = data.households["grid"]
    head = data.people["grid"]
    Person.objects.filter(pk=head.pk).update(relation_to_head=HEAD_OF_HOUSEHOLD)
    make_person("户内成员", tree.grid, seq=51, household=household)
    client.force_login(personas["community_worker"])
    response = client.get(reverse("people:household-list"), {"number": "H-grid"})
    rows = {h.number: h for h in response.context["page"].object_list}
    assert set(rows) == {"H-grid", "H-grid_own", "H-grid2"}
    assert rows["H-grid"].member_count == 2 and [p.name for p in rows["H-grid"].heads] == [head.name]
    assert rows["H-grid2"].member_count == 1 and rows["H-grid2"].heads == []
    html = response.content.decode()
    assert reverse("people:person-detail", args=[head.pk]) in html


def test_a_member_out_of_the_actors_scope_is_neither_counted_nor_named(client, personas, data, tree):
    household = data.households["grid"]
    make_person("新林户主", tree.other_grid, seq=52, household=household)
    Person.objects.filter(name="新林户主").update(relation_to_head=HEAD_OF_HOUSEHOLD)
    client.force_login(personas["grid_worker"])
    response = client.get(reverse("people:household-list"), {"number": "H-grid"})
    row = next(h for h in response.context["page"].object_list if h.number == "H-grid")
    assert row.member_count == 1 and row.heads == []
    assert "新林户主" not in response.content.decode()


def test_the_region_filter_offers_only_regions_in_scope_and_narrows_the_list(client, personas, data, tree):
    client.force_login(personas["community_worker"])
    response = client.get(reverse("people:household-list"), {"region": tree.grid2.pk})
    assert {h.number for h in response.context["page"].object_list} == {"H-grid2"}
    offered = set(response.context["form"].fields["region"].queryset)
    assert tree.grid in offered and tree.other_grid not in offered
    response = client.get(reverse("people:household-list"), {"region": tree.other_grid.pk})
    assert not response.context["form"].is_valid()


def test_the_htmx_table_is_a_fragment(client, personas, data):
    client.force_login(personas["community_worker"])
    response = client.get(
        reverse("people:household-list"), {"number": "grid2"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="households-table"
    )
    html = response.content.decode()
    assert "<html" not in html and "H-grid2" in html and "H-community" not in html


def test_the_list_runs_a_bounded_number_of_queries(client, personas, data, tree, django_assert_max_num_queries):
    for i in range(30):
        household = Household.objects.create(region=tree.grid2, number=f"Q-{i:02d}")
        make_person(f"户主{i}", tree.grid2, seq=100 + i, household=household)
        make_person(f"成员{i}", tree.grid2, seq=200 + i, household=household)
    Person.objects.filter(name__startswith="户主").update(relation_to_head=HEAD_OF_HOUSEHOLD)
    client.force_login(personas["district_admin"])
    client.get(reverse("people:household-list"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("people:household-list"))
    assert "户主29" in response.content.decode()


def test_the_new_household_button_shows_only_to_those_who_may_change_people(client, personas, data):
    url = reverse("people:household-create")
    client.force_login(personas["community_worker"])
    assert url in client.get(reverse("people:household-list")).content.decode()
    client.force_login(personas["social_worker"])
    assert url not in client.get(reverse("people:household-list")).content.decode()


def test_the_person_pages_link_to_the_households(client, personas, data):
    client.force_login(personas["social_worker"])
    assert reverse("people:household-list") in client.get(reverse("people:person-list")).content.decode()
    html = client.get(reverse("people:person-detail", args=[data.people["grid"].pk])).content.decode()
    assert _detail(data.households["grid"]) in html


def test_a_household_out_of_scope_is_not_linked_from_a_visible_person(client, personas, data, tree):
    person = data.people["grid"]
    Person.objects.filter(pk=person.pk).update(household=data.households["other"])
    client.force_login(personas["community_worker"])
    html = client.get(reverse("people:person-detail", args=[person.pk])).content.decode()
    assert "H-other" in html and _detail(data.households["other"]) not in html


# --- creating one ----------------------------------------------------------------------------------


def test_creating_a_household_redirects_to_its_page(client, personas, tree):
    client.force_login(personas["community_worker"])
    response = client.post(reverse("people:household-create"), {"region": tree.grid.pk, "number": "CZY-0001"})
    household = Household.objects.get(number="CZY-0001")
    assert response.status_code == 302 and response["Location"] == _detail(household)
    assert household.region == tree.grid


def test_a_taken_household_number_shows_the_error_beside_the_field_and_stores_nothing(client, personas, data, tree):
    client.force_login(personas["community_worker"])
    response = client.post(reverse("people:household-create"), {"region": tree.grid.pk, "number": "H-other"})
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["number"]
    assert 'id="id_number-error">该户号已存在。' in response.content.decode()
    assert Household.objects.filter(number="H-other").count() == 1
    assert Household.objects.count() == len(data.households)


def test_a_household_cannot_be_created_in_another_community(client, personas, tree):
    client.force_login(personas["community_worker"])
    response = client.post(reverse("people:household-create"), {"region": tree.other_grid.pk, "number": "X-1"})
    assert response.status_code == 422 and "region" in response.context["form"].errors
    assert not Household.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_view_only_user_may_not_create_a_household(client, personas, tree, method):
    client.force_login(personas["social_worker"])
    response = getattr(client, method)(reverse("people:household-create"), {"region": tree.grid.pk, "number": "S-1"})
    assert response.status_code == 403
    assert not Household.objects.exists()


# --- one household -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", PERSONAS)
def test_a_household_page_answers_404_out_of_scope(client, personas, data, who):
    client.force_login(personas[who])
    for key, household in data.households.items():
        response = client.get(_detail(household))
        assert response.status_code == (200 if key in VIEW_BY_ROLE[who] else 404), key


def test_a_missing_household_is_404(client, personas, data):
    client.force_login(personas["district_admin"])
    assert client.get("/people/households/999999/").status_code == 404


def test_the_household_page_lists_members_masked_with_links(client, personas, data):
    person = data.people["grid"]
    client.force_login(personas["community_worker"])
    html = client.get(_detail(data.households["grid"])).content.decode()
    assert reverse("people:person-detail", args=[person.pk]) in html
    assert person.phone_masked in html and data.phone("grid") not in html
    assert _add(data.households["grid"]) in html and _remove(data.households["grid"], person) in html


def test_another_communitys_worker_cannot_add_or_remove_members(client, personas, data, newcomer):
    household, member = data.households["grid"], data.people["grid"]
    client.force_login(personas["other_community_worker"])
    assert client.post(_add(household), {"phone": newcomer._phone_plain()}).status_code == 404
    assert client.post(_remove(household, member)).status_code == 404
    assert client.post(_relation(household, member), {"relation_to_head": "户主"}).status_code == 404
    newcomer.refresh_from_db()
    member.refresh_from_db()
    assert newcomer.household_id is None and member.household_id == household.pk


def test_a_view_only_user_sees_no_forms_and_their_posts_are_forbidden(client, personas, data, newcomer):
    household, member = data.households["grid"], data.people["grid"]
    client.force_login(personas["social_worker"])
    response = client.get(_detail(household))
    html = response.content.decode()
    assert response.status_code == 200 and member.name in html
    assert "<form" not in html.split("<main", 1)[1].split("</main>")[0]
    assert client.post(_add(household), {"phone": newcomer._phone_plain()}).status_code == 403
    assert client.post(_remove(household, member)).status_code == 403
    assert client.post(_relation(household, member), {"relation_to_head": "户主"}).status_code == 403
    newcomer.refresh_from_db()
    member.refresh_from_db()
    assert newcomer.household_id is None and member.household_id == household.pk and member.relation_to_head == ""


# --- members -------------------------------------------------------------------------------------


def test_a_member_is_added_by_document_number_and_the_change_is_audited(client, personas, data, newcomer):
    household = data.households["grid"]
    worker = personas["community_worker"]
    client.force_login(worker)
    number = make_id_number(birth="19500101", seq=50)
    response = client.post(_add(household), {"document_number": number, "relation_to_head": "配偶"})
    assert response.status_code == 302 and response["Location"] == _detail(household) + "#members"
    newcomer.refresh_from_db()
    assert newcomer.household_id == household.pk and newcomer.relation_to_head == "配偶"
    entry = AuditEntry.objects.filter(object_type="people.person", object_id=str(newcomer.pk), action="update").get()
    assert entry.actor == worker and entry.changes["household"] == {"before": None, "after": household.pk}
    assert newcomer.name in client.get(_detail(household)).content.decode()


def test_a_member_is_added_by_phone(client, personas, data, newcomer):
    household = data.households["grid2"]
    client.force_login(personas["community_worker"])
    response = client.post(_add(household), {"phone": "137 0000 0050", "relation_to_head": "子"})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.household_id == household.pk and newcomer.relation_to_head == "子"


def test_a_resident_out_of_scope_is_not_found_and_nothing_changes(client, personas, data, tree):
    stranger = make_person("新林居民", tree.other_grid, seq=53)
    household = data.households["grid"]
    client.force_login(personas["community_worker"])
    response = client.post(_add(household), {"document_number": make_id_number(birth="19500101", seq=53)})
    assert response.status_code == 422
    assert response.context["member_form"].errors == {"document_number": [str(NO_RESIDENT_IN_AREA)]}
    assert "新林居民" not in response.content.decode()
    response = client.post(_add(household), {"phone": stranger._phone_plain()})
    assert response.context["member_form"].errors == {"phone": [str(NO_RESIDENT_IN_AREA)]}
    stranger.refresh_from_db()
    assert stranger.household_id is None


def test_an_unknown_number_reads_the_same_as_one_out_of_scope(client, personas, data):
    client.force_login(personas["community_worker"])
    response = client.post(_add(data.households["grid"]), {"phone": "13711112222"})
    assert response.context["member_form"].errors == {"phone": [str(NO_RESIDENT_IN_AREA)]}


def test_the_form_needs_a_number(client, personas, data):
    client.force_login(personas["community_worker"])
    response = client.post(_add(data.households["grid"]), {"relation_to_head": "子"})
    assert response.status_code == 422 and "document_number" in response.context["member_form"].errors


def test_a_member_of_another_household_is_refused_until_removed_from_it(client, personas, data):
    person, household = data.people["grid2"], data.households["grid"]
    client.force_login(personas["community_worker"])
    response = client.post(_add(household), {"phone": data.phone("grid2")})
    assert response.status_code == 422
    expected = str(MEMBER_OF_ANOTHER_HOUSEHOLD) % {"name": person.name, "number": "H-grid2"}
    assert response.context["member_form"].errors == {"phone": [expected]}
    assert "H-grid2" in expected and "移出" in expected
    person.refresh_from_db()
    assert person.household_id == data.households["grid2"].pk

    assert client.post(_remove(data.households["grid2"], person)).status_code == 302
    assert client.post(_add(household), {"phone": data.phone("grid2")}).status_code == 302
    person.refresh_from_db()
    assert person.household_id == household.pk


def test_a_household_outside_the_area_is_not_named_when_its_member_is_refused(client, personas, data):
    # the resident lives in the worker's grid but was registered (API) in a household of another street
    person, household, elsewhere = data.people["grid2"], data.households["grid"], data.households["outsider_own"]
    Person.objects.filter(pk=person.pk).update(household=elsewhere)
    client.force_login(personas["community_worker"])
    response = client.post(_add(household), {"phone": data.phone("grid2")})
    assert response.status_code == 422
    assert response.context["member_form"].errors == {
        "phone": [str(MEMBER_OF_HOUSEHOLD_ELSEWHERE) % {"name": person.name}]
    }
    assert "H-outsider_own" not in response.content.decode()
    person.refresh_from_db()
    assert person.household_id == elsewhere.pk


def test_a_member_is_removed_from_the_household(client, personas, data):
    person, household = data.people["grid"], data.households["grid"]
    Person.objects.filter(pk=person.pk).update(relation_to_head=HEAD_OF_HOUSEHOLD)
    client.force_login(personas["grid_worker"])
    response = client.post(_remove(household, person), follow=True)
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.household_id is None and person.relation_to_head == ""
    assert response.context["members"].count() == 0


def test_removing_someone_who_is_not_a_member_says_so_and_changes_nothing(client, personas, data):
    person = data.people["grid2"]
    client.force_login(personas["community_worker"])
    response = client.post(_remove(data.households["grid"], person), follow=True)
    assert "不是本户成员" in response.content.decode()
    person.refresh_from_db()
    assert person.household_id == data.households["grid2"].pk


def test_a_members_relation_to_the_head_is_changed_inline(client, personas, data):
    person, household = data.people["grid"], data.households["grid"]
    client.force_login(personas["community_worker"])
    response = client.post(_relation(household, person), {"relation_to_head": " 户主 "})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.relation_to_head == HEAD_OF_HOUSEHOLD and person.household_id == household.pk


def test_a_too_long_relation_is_refused_with_a_message(client, personas, data):
    person, household = data.people["grid"], data.households["grid"]
    client.force_login(personas["community_worker"])
    response = client.post(_relation(household, person), {"relation_to_head": "关" * 21}, follow=True)
    assert "最多 20 个字" in response.content.decode()
    person.refresh_from_db()
    assert person.relation_to_head == ""


def test_a_household_has_one_head_on_the_pages_and_through_the_api(client, personas, data, newcomer):
    household, head = data.households["grid"], data.people["grid"]
    Person.objects.filter(pk=head.pk).update(relation_to_head=HEAD_OF_HOUSEHOLD)
    client.force_login(personas["community_worker"])
    # adding a second head: refused beside the relation field, nobody joins
    response = client.post(_add(household), {"phone": "13700000050", "relation_to_head": "户主"})
    assert response.status_code == 422
    assert "已有户主" in str(response.context["member_form"].errors["relation_to_head"])
    newcomer.refresh_from_db()
    assert newcomer.household_id is None
    # as an ordinary member they join; then making them head is refused inline and through the API
    assert client.post(_add(household), {"phone": "13700000050", "relation_to_head": "子"}).status_code == 302
    response = client.post(_relation(household, newcomer), {"relation_to_head": "户主"}, follow=True)
    assert "已有户主" in response.content.decode()
    api = client.patch(f"/api/v1/people/{newcomer.pk}", {"relation_to_head": "户主"}, content_type="application/json")
    assert api.status_code == 422 and "relation_to_head" in api.json()["errors"]
    newcomer.refresh_from_db()
    assert newcomer.relation_to_head == "子"
    # once the head steps down, the new head is accepted
    assert client.post(_relation(household, head), {"relation_to_head": "配偶"}).status_code == 302
    assert client.post(_relation(household, newcomer), {"relation_to_head": "户主"}).status_code == 302
    assert Person.objects.filter(household=household, relation_to_head=HEAD_OF_HOUSEHOLD).get().pk == newcomer.pk


def test_the_one_head_rule_holds_for_sloppy_input_new_people_and_a_head_saving_their_own_record(
    client, personas, data, tree
):
    household, head, other = data.households["grid"], data.people["grid"], data.people["grid2"]
    client.force_login(personas["community_worker"])
    api = f"/api/v1/people/{head.pk}"
    # a head's relation sent with spaces is stored trimmed, so it counts
    assert client.patch(api, {"relation_to_head": " 户主 "}, content_type="application/json").status_code == 200
    head.refresh_from_db()
    assert head.relation_to_head == HEAD_OF_HOUSEHOLD
    # the head re-saving their own record is not a second head
    again = {"relation_to_head": "户主", "household_id": household.pk}
    assert client.patch(api, again, content_type="application/json").status_code == 200
    # a member moved in as head, with or without spaces, is refused
    moved = {"household_id": household.pk, "relation_to_head": "户主 "}
    response = client.patch(f"/api/v1/people/{other.pk}", moved, content_type="application/json")
    assert response.status_code == 422 and "relation_to_head" in response.json()["errors"]
    other.refresh_from_db()
    assert other.household_id != household.pk
    # a new person registered straight into the household as its head is refused too
    new = {
        "name": "新户主",
        "region_id": tree.grid.pk,
        "household_id": household.pk,
        "relation_to_head": "户主",
        "phone": "13700000077",
    }
    response = client.post("/api/v1/people", new, content_type="application/json")
    assert response.status_code == 422 and "relation_to_head" in response.json()["errors"]
    assert not Person.objects.filter(name="新户主").exists()
    assert Person.objects.filter(household=household, relation_to_head=HEAD_OF_HOUSEHOLD).count() == 1
