"""The scope matrix (issue 2 "Must show"): every people API endpoint × every persona sees exactly
its scope; out of scope answers 404 exactly like a missing id."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from conftest import make_user
from jishiyu.people.tests.factories import CHANGE, EXPORT, LAYOUT, PERSONAS, REVEAL, VIEW, VIEW_BY_ROLE, build_people

API = "/api/v1/people"
MISSING_ID = 987654


@pytest.fixture
def data(tree, personas):
    return build_people(tree, personas)


def _as(client, personas, who):
    client.force_login(personas[who])
    return client


def _names_to_ids(data, keys):
    return data.ids(*keys)


@pytest.mark.parametrize("who", PERSONAS)
def test_the_list_shows_exactly_the_personas_scope(client, personas, data, who):
    response = _as(client, personas, who).get(f"{API}?page_size=100")
    assert response.status_code == 200
    assert {item["id"] for item in response.json()["items"]} == data.ids(*VIEW[who])
    assert response.json()["count"] == len(VIEW[who])


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("suffix", ["", "/residences", "/ownerships"])
def test_a_person_outside_scope_answers_404_like_a_missing_one(client, personas, data, who, suffix):
    c = _as(client, personas, who)
    missing = c.get(f"{API}/{MISSING_ID}{suffix}")
    assert missing.status_code == 404
    for key, person in data.people.items():
        response = c.get(f"{API}/{person.pk}{suffix}")
        if key in VIEW[who]:
            assert response.status_code == 200, (key, response.content)
        else:
            assert response.status_code == 404, key
            assert response.json() == missing.json()


@pytest.mark.parametrize("who", PERSONAS)
def test_changing_a_person_needs_change_scope(client, personas, data, who):
    c = _as(client, personas, who)
    for key, person in data.people.items():
        response = c.patch(f"{API}/{person.pk}", {"relation_to_head": "户主"}, content_type="application/json")
        expected = 200 if key in CHANGE[who] else 403 if key in VIEW[who] else 404
        assert response.status_code == expected, (key, response.content)


@pytest.mark.parametrize("who", PERSONAS)
def test_setting_a_tag_needs_change_scope(client, personas, data, who):
    c = _as(client, personas, who)
    for key, person in data.people.items():
        response = c.post(f"{API}/{person.pk}/tags", {"tag": "empty_nest"}, content_type="application/json")
        expected = 200 if key in CHANGE[who] else 403 if key in VIEW[who] else 404
        assert response.status_code == expected, (key, response.content)


@pytest.mark.parametrize("who", PERSONAS)
def test_revealing_needs_reveal_scope(client, personas, data, who):
    c = _as(client, personas, who)
    for key, person in data.people.items():
        response = c.post(
            f"{API}/{person.pk}/reveal", {"field": "phone", "reason": "核实身份信息"}, content_type="application/json"
        )
        expected = 200 if key in REVEAL[who] else 403 if key in VIEW[who] else 404
        assert response.status_code == expected, (key, response.content)
        if expected == 200:
            assert response.json() == {"value": data.phone(key)}


@pytest.mark.parametrize("who", PERSONAS)
def test_lookup_by_phone_finds_only_people_in_scope(client, personas, data, who):
    c = _as(client, personas, who)
    for key in LAYOUT:
        response = c.post(f"{API}/lookup", {"phone": data.phone(key)}, content_type="application/json")
        assert response.status_code == (200 if key in VIEW[who] else 404), key


@pytest.mark.parametrize("who", PERSONAS)
def test_the_export_holds_exactly_the_export_scope(client, personas, data, who):
    response = _as(client, personas, who).post(f"{API}/export", {}, content_type="application/json")
    if not EXPORT[who]:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {data.people[k].name for k in EXPORT[who]}


@pytest.mark.parametrize("who", PERSONAS)
def test_households_show_exactly_the_role_scope(client, personas, data, who):
    c = _as(client, personas, who)
    listed = {item["id"] for item in c.get(f"{API}/households?page_size=100").json()["items"]}
    assert listed == {data.households[k].pk for k in VIEW_BY_ROLE[who]}
    for key, household in data.households.items():
        response = c.get(f"{API}/households/{household.pk}")
        assert response.status_code == (200 if key in VIEW_BY_ROLE[who] else 404), key


@pytest.mark.parametrize("who", PERSONAS)
def test_dwelling_owners_show_exactly_the_role_scope(client, personas, data, who):
    c = _as(client, personas, who)
    for key, dwelling in data.dwellings.items():
        response = c.get(f"{API}/dwellings/{dwelling.pk}/ownerships")
        assert response.status_code == (200 if key in VIEW_BY_ROLE[who] else 404), key
        if response.status_code == 200:
            assert [o["person_id"] for o in response.json()] == [data.people[key].pk]


@pytest.mark.parametrize("who", PERSONAS)
def test_verifying_an_owner_needs_verify_scope(client, personas, data, who):
    c = _as(client, personas, who)
    verify = {"community_worker", "community_secretary", "street_official", "district_admin", "other_community_worker"}
    for key, ownership in data.ownerships.items():
        response = c.post(f"{API}/ownerships/{ownership.pk}/verify")
        if who in verify and key in VIEW[who]:
            assert response.status_code == 200, key
        else:
            assert response.status_code in ((403,) if key in VIEW[who] else (404,)), (key, response.content)


def test_an_anonymous_caller_gets_401(client, data):
    assert client.get(API).status_code == 401


VERIFY = {"community_worker", "community_secretary", "street_official", "district_admin", "other_community_worker"}
PLACES = {
    "grid_own": "grid",
    "grid": "grid",
    "grid2": "grid2",
    "community": "community",
    "sibling": "sibling_community",
    "other": "other_grid",
    "outsider_own": "other_community",
}


@pytest.mark.parametrize("who", PERSONAS)
def test_removing_a_tag_needs_change_scope(client, personas, data, who):
    c = _as(client, personas, who)
    for key, person in data.people.items():
        response = c.delete(f"{API}/{person.pk}/tags/elderly_alone")
        expected = 200 if key in CHANGE[who] else 403 if key in VIEW[who] else 404
        assert response.status_code == expected, key


@pytest.mark.parametrize("who", PERSONAS)
def test_dwelling_residents_and_household_members_show_exactly_the_role_scope(client, personas, data, who):
    c = _as(client, personas, who)
    for key in LAYOUT:
        residents = c.get(f"{API}/dwellings/{data.dwellings[key].pk}/residences")
        members = c.get(f"{API}/households/{data.households[key].pk}/members")
        expected = 200 if key in VIEW_BY_ROLE[who] else 404
        assert (residents.status_code, members.status_code) == (expected, expected), key
        if expected == 200:
            assert [r["person_id"] for r in residents.json()] == [data.people[key].pk]
            assert [m["id"] for m in members.json()] == [data.people[key].pk]


@pytest.mark.parametrize("who", PERSONAS)
def test_registering_a_person_needs_change_scope_on_the_region(client, personas, data, tree, who):
    c = _as(client, personas, who)
    for key, place in PLACES.items():
        body = {"name": f"新{key}", "region_id": getattr(tree, place).pk}
        response = c.post(API, body, content_type="application/json")
        if not CHANGE[who]:
            assert response.status_code == 403, key
        elif key in CHANGE[who]:
            assert response.status_code == 201, (key, response.content)
        else:
            assert response.status_code == 422 and "region" in response.json()["errors"], key


@pytest.mark.parametrize("who", PERSONAS)
def test_creating_a_household_needs_change_scope_on_the_region(client, personas, data, tree, who):
    c = _as(client, personas, who)
    for key, place in PLACES.items():
        body = {"region_id": getattr(tree, place).pk, "number": f"N-{key}"}
        response = c.post(f"{API}/households", body, content_type="application/json")
        if not CHANGE[who]:
            assert response.status_code == 403, key
        else:
            assert response.status_code == (201 if key in CHANGE[who] else 400), key


@pytest.mark.parametrize("who", PERSONAS)
def test_naming_a_representative_needs_change_scope(client, personas, data, who):
    c = _as(client, personas, who)
    for key, ownership in data.ownerships.items():
        response = c.post(f"{API}/ownerships/{ownership.pk}/representative")
        expected = 200 if key in CHANGE[who] else 403 if key in VIEW[who] else 404
        assert response.status_code == expected, key


@pytest.mark.parametrize("who", PERSONAS)
def test_adding_an_ownership_needs_change_scope(client, personas, data, who):
    c = _as(client, personas, who)
    for key, person in data.people.items():
        body = {"dwelling_id": data.dwellings[key].pk, "share": "1"}
        response = c.post(f"{API}/{person.pk}/ownerships", body, content_type="application/json")
        if key in CHANGE[who]:
            assert response.status_code == 201, key
        elif key in VIEW[who]:
            assert response.status_code in (403, 422), key
        else:
            assert response.status_code == 404, key


@pytest.mark.parametrize("who", PERSONAS)
def test_verifying_a_resident_needs_verify_scope(client, personas, data, who):
    stranger = make_user("13600000000", "陌生账号")
    c = _as(client, personas, who)
    for key, person in data.people.items():
        response = c.post(f"{API}/{person.pk}/verify", {"user_id": stranger.pk}, content_type="application/json")
        if key not in VIEW[who]:
            assert response.status_code == 404, key
        elif who in VERIFY:
            assert response.status_code == 400 and "user" in response.json()["errors"], key  # phones differ
        else:
            assert response.status_code == 403, key


# --- maps (issue 12): the outlines, buildings and streets a map draws follow the same scope ----------------
_COMMUNITY = {"community", "grid", "grid2", "compound"}
_STREET = _COMMUNITY | {"street", "sibling_community"}
_DISTRICT = _STREET | {"district", "other_street", "other_community", "other_grid"}
MAP_VIEW = {
    "resident": _COMMUNITY,  # "regions.map" at their home grid: the outlines of their home community
    "grid_worker": {"grid"},
    "community_worker": _COMMUNITY,
    "social_worker": _COMMUNITY,
    "community_secretary": _COMMUNITY,
    "street_dispatcher": _STREET,
    "street_official": _STREET,
    "district_admin": _DISTRICT,
    "department_handler": _DISTRICT,
    "organisation_member": _COMMUNITY,
    "auditor": _DISTRICT,
    "system_admin": _DISTRICT,
    "security_admin": _DISTRICT,
    "other_community_worker": {"other_community", "other_grid"},
    "outsider": set(),
}


@pytest.mark.parametrize("who", PERSONAS)
def test_map_outlines_show_exactly_the_personas_scope(client, personas, tree, who):
    from jishiyu.regions.tests.mapdata import outline

    nodes = outline(tree)
    c = _as(client, personas, who)
    response = c.get("/api/v1/regions/map/features?bbox=118.6,31.8,118.9,32.1")
    assert response.status_code == 200
    seen = {f["properties"]["id"] for f in response.json()["features"]}
    assert seen == {nodes[name].pk for name in MAP_VIEW[who]}, who
    extent = c.get("/api/v1/regions/map/extent").json()
    if MAP_VIEW[who]:
        w, s, e, n = extent["bbox"]
        assert all(w <= nodes[k].lon <= e and s <= nodes[k].lat <= n for k in MAP_VIEW[who])
        assert {r["id"] for r in extent["regions"]} <= {nodes[name].pk for name in MAP_VIEW[who]}
    else:
        assert extent == {"bbox": None, "regions": []}


@pytest.mark.parametrize("who", PERSONAS)
def test_map_buildings_show_exactly_the_personas_scope(client, personas, tree, who):
    from jishiyu.regions.tests.mapdata import buildings, outline

    outline(tree)
    houses = buildings(tree)
    c = _as(client, personas, who)
    near = c.get("/api/v1/regions/map/features?bbox=118.70,31.90,118.73,31.93&buildings=1&kinds=grid").json()
    seen = {f["properties"]["id"] for f in near["features"] if f["properties"]["kind"] == "building"}
    in_scope = {"grid", "community", "street", "district"} & MAP_VIEW[who]
    assert seen == ({houses[0].pk, houses[1].pk} if in_scope else set()), who
    far = c.get("/api/v1/regions/map/features?bbox=118.79,31.94,118.81,31.96&buildings=1&kinds=grid").json()
    far_seen = {f["properties"]["id"] for f in far["features"] if f["properties"]["kind"] == "building"}
    assert far_seen == ({houses[2].pk} if "other_grid" in MAP_VIEW[who] else set()), who
    # the walking network's streets: jishiyu/circles/tests/test_map_streets.py (circles sits above people)
