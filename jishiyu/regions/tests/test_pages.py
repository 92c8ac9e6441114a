from __future__ import annotations

import pytest

from jishiyu.core.exports import XLSX_CONTENT_TYPE


def test_the_tree_browser_shows_the_community_workers_community(client, personas, tree):
    client.force_login(personas["community_worker"])
    response = client.get("/regions/")
    assert response.status_code == 200
    assert "翠竹园社区" in response.content.decode()
    assert "新林社区" not in response.content.decode()


def test_a_community_page_lists_its_grids_buildings_and_a_map(client, personas, tree, addresses):
    client.force_login(personas["community_worker"])
    tree.community.lon, tree.community.lat = 118.78, 31.99
    tree.community.save(update_fields=["lon", "lat"])
    html = client.get(f"/regions/{tree.community.pk}/").content.decode()
    assert "翠竹园第一网格" in html and f"/regions/buildings/{addresses.cuizhu_building.pk}/" in html
    assert 'id="regions-features"' in html and "leaflet.js" in html


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker"])
def test_pages_of_another_community_answer_404(client, personas, tree, addresses, persona):
    client.force_login(personas[persona])
    # one who may browse no regions at all is refused the browser (whatever node is asked for)
    assert client.get(f"/regions/{tree.community.pk}/").status_code == (403 if persona == "outsider" else 404)
    assert client.get(f"/regions/buildings/{addresses.cuizhu_building.pk}/").status_code == 404
    assert client.get(f"/regions/{tree.community.pk}/buildings.xlsx").status_code == 404
    assert client.get(f"/regions/buildings/{addresses.cuizhu_building.pk}/dwellings.xlsx").status_code == 404


def test_the_outsider_is_refused_the_tree(client, personas, tree):
    client.force_login(personas["outsider"])
    response = client.get("/regions/")
    assert response.status_code == 403
    assert "雨花台区" not in response.content.decode()


def test_the_building_page_lists_its_dwellings(client, personas, addresses):
    client.force_login(personas["grid_worker"])
    html = client.get(f"/regions/buildings/{addresses.cuizhu_building.pk}/").content.decode()
    assert "5-1-101" in html


def test_the_list_exports_to_xlsx(client, personas, tree):
    client.force_login(personas["street_official"])
    response = client.get(f"/regions/{tree.street.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE


def test_the_address_lookup_page_resolves_a_posted_address(client, personas, addresses):
    client.force_login(personas["other_community_worker"])
    response = client.post("/regions/lookup/", {"address": "新林苑3幢2单元501室"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "新林苑" in html and f"/regions/buildings/{addresses.building.pk}/" in html


def test_the_address_lookup_page_asks_for_an_address(client, personas, tree):
    client.force_login(personas["community_worker"])
    response = client.post("/regions/lookup/", {"address": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["address"]


def test_pages_need_a_sign_in(client, tree):
    assert client.get("/regions/").status_code == 302
