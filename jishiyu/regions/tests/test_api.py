from __future__ import annotations

import pytest

from jishiyu.regions.models import Region


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_a_community_worker_lists_their_community_as_root(client, personas, tree):
    body = _get(client, personas["community_worker"], "/api/v1/regions").json()
    assert [r["id"] for r in body["items"]] == [tree.community.pk]
    assert body["count"] == 1


def test_the_outsider_lists_nothing(client, personas, tree):
    assert _get(client, personas["outsider"], "/api/v1/regions").json()["count"] == 0


def test_children_of_a_street_show_only_what_is_in_scope(client, personas, tree):
    body = _get(client, personas["community_worker"], f"/api/v1/regions?parent={tree.street.pk}").json()
    assert [r["id"] for r in body["items"]] == [tree.community.pk]
    body = _get(client, personas["street_official"], f"/api/v1/regions?parent={tree.street.pk}").json()
    assert {r["id"] for r in body["items"]} == {tree.community.pk, tree.sibling_community.pk}


def test_the_detail_has_codes_ancestors_by_name_and_counts(client, personas, tree):
    body = _get(client, personas["community_worker"], f"/api/v1/regions/{tree.community.pk}").json()
    assert body["division_code"] == "320114001003"
    assert [(a["name"], a["in_scope"]) for a in body["ancestors"]] == [("雨花台区", False), ("雨花街道", False)]
    assert body["children_count"] == 3


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker", "grid_worker"])
def test_a_node_outside_scope_answers_404_like_a_missing_one(client, personas, tree, persona):
    response = _get(client, personas[persona], f"/api/v1/regions/{tree.community.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert _get(client, personas[persona], "/api/v1/regions/999999").status_code == 404


def test_buildings_and_dwellings_are_listed_for_the_community_worker(client, personas, tree, addresses):
    user = personas["community_worker"]
    body = _get(client, user, f"/api/v1/regions/{tree.community.pk}/buildings").json()
    assert [(b["number"], b["dwellings_count"]) for b in body["items"]] == [("5", 1)]
    body = _get(client, user, f"/api/v1/regions/buildings/{addresses.cuizhu_building.pk}/dwellings").json()
    assert [d["label"] for d in body["items"]] == ["5-1-101"]


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker"])
def test_buildings_and_dwellings_of_another_community_answer_404(client, personas, tree, addresses, persona):
    user = personas[persona]
    assert _get(client, user, f"/api/v1/regions/{tree.community.pk}/buildings").status_code == 404
    url = f"/api/v1/regions/buildings/{addresses.cuizhu_building.pk}/dwellings"
    assert _get(client, user, url).status_code == 404


def test_the_region_list_runs_a_fixed_number_of_queries(client, personas, tree, django_assert_max_num_queries):
    from jishiyu.regions.services import region_create

    for i in range(15):
        region_create(kind="grid", name=f"网格{i}", parent=tree.community)
    client.force_login(personas["community_worker"])
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/regions?parent={tree.community.pk}&page_size=50")
    assert response.json()["count"] == 18


def test_resolve_returns_the_dwelling_in_scope(client, personas, addresses):
    client.force_login(personas["other_community_worker"])
    response = client.post("/api/v1/regions/resolve", {"address": "板桥新林苑3-2-501"}, content_type="application/json")
    body = response.json()
    assert response.status_code == 200
    assert body["region"]["id"] == addresses.xinlinyuan.pk
    assert body["dwelling"]["id"] == addresses.dwelling.pk
    assert 0 < body["confidence"] < 1


def test_resolving_an_address_in_another_community_gives_nothing(client, personas, addresses):
    client.force_login(personas["community_worker"])
    body = client.post(
        "/api/v1/regions/resolve", {"address": "板桥新林苑3-2-501"}, content_type="application/json"
    ).json()
    assert body["region"] is None and body["dwelling"] is None and body["confidence"] == 0


def test_an_unknown_address_answers_200_with_no_region(client, personas, tree):
    client.force_login(personas["district_admin"])
    response = client.post("/api/v1/regions/resolve", {"address": "火星基地"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["region"] is None and response.json()["confidence"] == 0


@pytest.mark.parametrize("body", [{"address": ""}, {"address": "   "}, {}])
def test_an_empty_address_answers_422_naming_the_field(client, personas, tree, body):
    client.force_login(personas["district_admin"])
    response = client.post("/api/v1/regions/resolve", body, content_type="application/json")
    assert response.status_code == 422
    assert "address" in response.json()["errors"]


def test_a_district_admin_creates_a_community_with_its_code(client, personas, tree):
    client.force_login(personas["district_admin"])
    payload = {
        "kind": "community",
        "name": "新社区",
        "parent_id": tree.other_street.pk,
        "community_kind": "village",
        "nbs_code": "320114005201",
    }
    response = client.post("/api/v1/regions", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["division_code"] == "320114005201"


def test_a_bad_code_through_the_api_is_a_422_like_problem_naming_the_field(client, personas, tree):
    client.force_login(personas["district_admin"])
    payload = {"kind": "community", "name": "新社区", "parent_id": tree.other_street.pk, "community_kind": "village"}
    response = client.post("/api/v1/regions", {**payload, "nbs_code": "32011400520"}, content_type="application/json")
    assert response.status_code == 400
    assert "nbs_code" in response.json()["errors"]
    assert not Region.objects.filter(name="新社区").exists()


def test_a_community_worker_may_not_create_or_change_regions(client, personas, tree):
    client.force_login(personas["community_worker"])
    payload = {"kind": "grid", "name": "新网格", "parent_id": tree.community.pk}
    assert client.post("/api/v1/regions", payload, content_type="application/json").status_code == 403
    url = f"/api/v1/regions/{tree.community.pk}"
    assert client.patch(url, {"name": "改名"}, content_type="application/json").status_code == 403
    assert Region.objects.get(pk=tree.community.pk).name == "翠竹园社区"


def test_a_district_admin_moves_a_community_through_the_api(client, personas, tree):
    client.force_login(personas["district_admin"])
    url = f"/api/v1/regions/{tree.sibling_community.pk}"
    response = client.patch(url, {"parent_id": tree.other_street.pk}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert [a["name"] for a in response.json()["ancestors"]] == ["雨花台区", "板桥街道"]


def test_a_resident_lists_no_region_building_or_dwelling_even_of_their_own_grid(client, personas, tree):
    """A resident holds no region permission: the dwellings of their grid (areas, developer-held flags) stay
    with staff; the staff persona of the grid sees them."""
    from jishiyu.regions.services import building_create, dwelling_create

    building = building_create(actor=None, community=tree.community, grid=tree.grid, number="3")
    dwelling_create(actor=None, building=building, number="501", exclusive_area="89.57", area_source="register")
    resident = personas["resident"]
    assert _get(client, resident, "/api/v1/regions").json()["count"] == 0
    assert _get(client, resident, f"/api/v1/regions/{tree.grid.pk}").status_code == 404
    assert _get(client, resident, f"/api/v1/regions/{tree.grid.pk}/buildings").status_code == 404
    assert _get(client, resident, f"/api/v1/regions/buildings/{building.pk}/dwellings").status_code == 404
    staff = _get(client, personas["grid_worker"], f"/api/v1/regions/buildings/{building.pk}/dwellings").json()
    assert [d["number"] for d in staff["items"]] == ["501"]
