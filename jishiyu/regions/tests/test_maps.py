"""The map's own data (底图数据): outlines and buildings by box, bounded, simplified, validated."""

from __future__ import annotations

import math

import pytest

from jishiyu.regions import geometry, maps
from jishiyu.regions.models import Region
from jishiyu.regions.services import region_bulk_create
from jishiyu.regions.tests.mapdata import buildings, outline

FEATURES = "/api/v1/regions/map/features"


def test_an_anonymous_caller_gets_401(client, tree):
    assert client.get(FEATURES).status_code == 401
    assert client.get("/api/v1/regions/map/extent").status_code == 401
    assert client.get("/api/v1/circles/map/streets").status_code == 401


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "118.9,31.9,118.7,32.0", "0,100,1,101", "nan,1,2,3"])
def test_a_bad_box_answers_422_naming_the_field(client, personas, tree, bbox):
    client.force_login(personas["district_admin"])
    response = client.get(f"{FEATURES}?bbox={bbox}")
    assert response.status_code == 422
    assert "bbox" in response.json()["errors"]
    assert client.get(f"/api/v1/circles/map/streets?bbox={bbox}").status_code == 422


def test_an_unknown_kind_answers_422_naming_the_field(client, personas, tree):
    client.force_login(personas["district_admin"])
    response = client.get(f"{FEATURES}?kinds=community,planet")
    assert response.status_code == 422 and "kinds" in response.json()["errors"]


def test_outlines_outside_the_box_are_left_out_and_kinds_pick_some(client, personas, tree):
    nodes = outline(tree)
    client.force_login(personas["district_admin"])
    east = client.get(f"{FEATURES}?bbox=118.80,31.92,118.84,31.96&kinds=community,grid").json()
    assert {f["properties"]["id"] for f in east["features"]} == {nodes["other_community"].pk, nodes["other_grid"].pk}
    label = next(f for f in east["features"] if f["properties"]["id"] == nodes["other_community"].pk)
    assert label["properties"]["label_at"] == [118.82, 31.98]
    assert label["geometry"]["type"] == "Polygon"


def test_without_a_box_the_answer_covers_the_actors_extent(client, personas, tree):
    nodes = outline(tree)
    client.force_login(personas["community_worker"])
    extent = client.get("/api/v1/regions/map/extent").json()
    assert extent["bbox"] == [118.70, 31.90, 118.78, 31.98]
    assert [r["name"] for r in extent["regions"]] == ["翠竹园社区"]
    ids = {f["properties"]["id"] for f in client.get(FEATURES).json()["features"]}
    assert ids == {nodes[k].pk for k in ("community", "grid", "grid2", "compound")}


def test_a_long_outline_is_simplified_to_the_box_and_stays_closed(client, personas, tree):
    outline(tree)
    ring = [
        [118.74 + 0.03 * math.cos(2 * math.pi * i / 4000), 31.94 + 0.03 * math.sin(2 * math.pi * i / 4000)]
        for i in range(4000)
    ]
    ring.append(ring[0])
    Region.objects.filter(pk=tree.compound.pk).update(geometry={"type": "Polygon", "coordinates": [ring]})
    client.force_login(personas["district_admin"])
    wide = client.get(f"{FEATURES}?bbox=118.5,31.7,119.0,32.2&kinds=compound").json()["features"][0]
    coords = wide["geometry"]["coordinates"][0]
    assert 8 <= len(coords) < 400 and coords[0] == coords[-1]
    close = client.get(f"{FEATURES}?bbox=118.70,31.90,118.78,31.98&kinds=compound").json()["features"][0]
    assert len(close["geometry"]["coordinates"][0]) > len(coords)  # a closer look keeps more of the outline


def test_the_number_of_outlines_is_capped_and_says_so(client, personas, tree, monkeypatch):
    outline(tree)
    cells = [
        Region(
            kind="compound",
            name=f"小区{i}",
            lon=118.70 + i * 0.0001,
            lat=31.95,
            geometry=geometry.polygon_geojson(
                [(118.70 + i * 0.0001, 31.95), (118.7001 + i * 0.0001, 31.95), (118.7001 + i * 0.0001, 31.9501)]
            ),
        )
        for i in range(maps.MAX_FEATURES + 50)
    ]
    region_bulk_create(tree.community, cells)
    client.force_login(personas["district_admin"])
    data = client.get(f"{FEATURES}?bbox=118.69,31.89,118.79,31.99").json()
    assert len(data["features"]) == maps.MAX_FEATURES and data["truncated"] is True
    few = client.get(f"{FEATURES}?bbox=118.69,31.89,118.79,31.99&kinds=district,street").json()
    assert len(few["features"]) == 3 and few["truncated"] is False  # the district and both streets


def test_buildings_come_only_on_a_small_box(client, personas, tree):
    outline(tree)
    houses = buildings(tree)
    client.force_login(personas["district_admin"])
    small = client.get(f"{FEATURES}?bbox=118.70,31.90,118.73,31.93&buildings=1").json()["features"]
    assert {f["properties"]["id"] for f in small if f["properties"]["kind"] == "building"} == {
        houses[0].pk,
        houses[1].pk,
    }
    wide = client.get(f"{FEATURES}?bbox=118.6,31.8,118.9,32.1&buildings=1").json()["features"]
    assert not [f for f in wide if f["properties"]["kind"] == "building"]


def test_simplify_keeps_corners_and_drops_points_on_a_straight_edge():
    square = {"type": "Polygon", "coordinates": [[[0, 0], [0.5, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    assert geometry.simplify(square, 0.01) == {
        "type": "Polygon",
        "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
    }
    assert geometry.bbox_of(square) == (0, 0, 1, 1)
    assert geometry.parse_bbox("1,2,3,4") == (1, 2, 3, 4)
    with pytest.raises(ValueError):
        geometry.parse_bbox("3,2,1,4")
