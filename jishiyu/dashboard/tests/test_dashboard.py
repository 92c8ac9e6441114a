"""Dashboard (数据看板): figures per child node, scoped; page, API and export."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from jishiyu.dashboard.selectors import dashboard_figures, dashboard_region_get

pytestmark = pytest.mark.django_db

API = "/api/v1/dashboard/figures"


def _by_name(payload: dict) -> dict[str, dict]:
    return {row["region"]["name"]: row for row in payload["rows"]}


def test_a_district_admin_sees_each_street_of_the_district(client, personas, population, tree):
    client.force_login(personas["district_admin"])
    response = client.get(API, {"region": tree.district.pk})
    assert response.status_code == 200
    rows = _by_name(response.json())
    assert set(rows) == {"雨花街道", "板桥街道"}
    assert (rows["雨花街道"]["residents"], rows["板桥街道"]["residents"]) == (7, 4)
    assert (rows["雨花街道"]["households"], rows["板桥街道"]["households"]) == (2, 1)
    assert (rows["雨花街道"]["dwellings"], rows["板桥街道"]["dwellings"]) == (3, 1)
    assert (rows["雨花街道"]["verified_accounts"], rows["板桥街道"]["verified_accounts"]) == (1, 0)


def test_people_in_difficulty_are_counted_per_tag_and_child(client, personas, population, tree):
    client.force_login(personas["district_admin"])
    payload = client.get(API, {"region": tree.district.pk}).json()
    rows = _by_name(payload)
    assert rows["雨花街道"]["tags"] == {"elderly_alone": 1, "disabled": 1}
    assert rows["板桥街道"]["tags"] == {"subsistence": 1}
    assert [t["tag"] for t in payload["tags"]] == ["elderly_alone", "disabled", "subsistence"]


def test_the_total_counts_the_whole_node_including_people_not_in_any_child(client, personas, population, tree):
    client.force_login(personas["other_community_worker"])
    payload = client.get(API).json()
    assert payload["region"]["name"] == "新林社区"
    assert _by_name(payload)["新林第一网格"]["residents"] == 3
    assert payload["total"]["residents"] == 4


def test_a_street_official_sees_only_the_communities_of_their_street(client, personas, population):
    client.force_login(personas["street_official"])
    payload = client.get(API).json()
    assert payload["region"]["name"] == "雨花街道"
    rows = _by_name(payload)
    assert {name: row["residents"] for name, row in rows.items()} == {"翠竹园社区": 5, "凤台社区": 2}


def test_a_community_worker_sees_grids_but_not_compounds_which_overlap_them(client, personas, population):
    client.force_login(personas["community_worker"])
    payload = client.get(API).json()
    assert {name: row["residents"] for name, row in _by_name(payload).items()} == {
        "翠竹园第一网格": 3,
        "翠竹园第二网格": 2,
    }
    assert not any(row["drillable"] for row in payload["rows"])


@pytest.mark.parametrize("target", ["district", "other_street", "other_community", "sibling_community"])
def test_the_api_answers_404_for_a_region_outside_a_community_workers_scope(client, personas, tree, target):
    client.force_login(personas["community_worker"])
    response = client.get(API, {"region": getattr(tree, target).pk})
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["resident", "outsider", "auditor"])
def test_the_api_answers_404_to_an_account_without_people_scope(client, personas, tree, persona):
    client.force_login(personas[persona])
    assert client.get(API, {"region": tree.community.pk}).status_code == 404
    assert client.get(API).status_code == 404


def test_a_grid_has_its_own_figures_without_rows_to_drill_into(client, personas, population, tree):
    client.force_login(personas["community_worker"])
    response = client.get(API, {"region": tree.grid.pk})
    assert response.status_code == 200
    assert response.json()["total"]["residents"] == 3


def test_the_grid_workers_dashboard_opens_on_their_grid(client, personas, population, tree):
    # The grid worker's whole scope is a grid: the menu's 数据看板 answered 404 for them.
    client.force_login(personas["grid_worker"])
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert response.context["figures"].region == tree.grid


def test_the_api_refuses_an_anonymous_caller(client, tree):
    assert client.get(API, {"region": tree.district.pk}).status_code == 401


def test_the_figures_take_a_fixed_number_of_queries(personas, population, tree, django_assert_max_num_queries):
    actor = personas["district_admin"]
    actor.clear_scope_cache()
    with django_assert_max_num_queries(8):
        region = dashboard_region_get(actor=actor, region_id=tree.district.pk)
        figures = dashboard_figures(actor=actor, region=region)
    assert figures.total.residents == 11


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 404),
        ("outsider", 404),
        ("community_worker", 200),
        ("street_official", 200),
        ("district_admin", 200),
    ],
)
def test_the_dashboard_page_answers_each_persona(client, personas, population, persona, status):
    client.force_login(personas[persona])
    assert client.get("/dashboard/").status_code == status


def test_the_dashboard_page_sends_an_anonymous_visitor_to_sign_in(client, tree):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_dashboard_table_lists_the_children_and_links_the_drillable_ones(client, personas, population, tree):
    client.force_login(personas["street_official"])
    response = client.get("/dashboard/")
    html = response.content.decode()
    assert f'href="?region={tree.community.pk}"' in html
    assert "新林社区" not in html
    assert 'data-endpoint="/api/v1/dashboard/figures?region=' in html


def test_the_breadcrumb_does_not_link_above_the_actors_scope(client, personas, population, tree):
    client.force_login(personas["street_official"])
    html = client.get("/dashboard/", {"region": tree.community.pk}).content.decode()
    assert "雨花台区" in html
    assert f'href="?region={tree.district.pk}"' not in html
    assert f'href="?region={tree.street.pk}"' in html


def test_the_dashboard_page_answers_404_for_another_street(client, personas, tree):
    client.force_login(personas["street_official"])
    assert client.get("/dashboard/", {"region": tree.other_street.pk}).status_code == 404


def test_the_dashboard_page_answers_404_for_a_malformed_region(client, personas, tree):
    client.force_login(personas["street_official"])
    assert client.get("/dashboard/", {"region": "abc"}).status_code == 404


def test_the_dashboard_page_stays_within_a_query_budget(client, personas, population, django_assert_max_num_queries):
    """16 for the people table and 18 for the four module cards: a fixed number, whatever the records."""
    client.force_login(personas["district_admin"])
    with django_assert_max_num_queries(34):
        assert client.get("/dashboard/").status_code == 200


def test_the_table_exports_to_xlsx_with_a_total_row(client, personas, population, tree):
    client.force_login(personas["street_official"])
    response = client.get("/dashboard/export.xlsx", {"region": tree.street.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:5] == ["区划", "居民", "户数", "房屋", "已认证账号"]
    assert [r[0] for r in rows[1:3]] == ["翠竹园社区", "凤台社区"]
    assert rows[-1][1] == 7


def test_the_export_answers_404_out_of_scope(client, personas, tree):
    client.force_login(personas["community_worker"])
    assert client.get("/dashboard/export.xlsx", {"region": tree.district.pk}).status_code == 404
