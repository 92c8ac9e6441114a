"""The walking network's streets on the maps (路网底图): scoped like the outlines (the scope matrix's
MAP_VIEW), cut to the box, capped."""

from __future__ import annotations

import pytest

from jishiyu.circles import streets
from jishiyu.circles.generate import grid_network
from jishiyu.circles.services import network_store
from jishiyu.people.tests.factories import PERSONAS
from jishiyu.people.tests.test_scope_matrix_api import MAP_VIEW
from jishiyu.regions.tests.mapdata import outline

URL = "/api/v1/circles/map/streets"


@pytest.fixture
def network(tree):
    nodes = outline(tree)
    network_store(region=tree.district, graph=grid_network(30, 30, spacing=500, lon0=118.70, lat0=31.90), name="路网")
    return nodes


def _points(response):
    features = response.json()["features"]
    return [p for line in features[0]["geometry"]["coordinates"] for p in line] if features else []


@pytest.mark.parametrize("who", PERSONAS)
def test_streets_stay_near_the_personas_regions(client, personas, network, who):
    client.force_login(personas[who])
    response = client.get(f"{URL}?bbox=118.6,31.8,118.9,32.1")
    assert response.status_code == 200
    points = _points(response)
    if not MAP_VIEW[who]:
        assert points == []
        return
    rings = [network[k].geometry["coordinates"][0] for k in MAP_VIEW[who]]
    w = min(p[0] for r in rings for p in r) - streets.SCOPE_MARGIN
    e = max(p[0] for r in rings for p in r) + streets.SCOPE_MARGIN
    s = min(p[1] for r in rings for p in r) - streets.SCOPE_MARGIN
    n = max(p[1] for r in rings for p in r) + streets.SCOPE_MARGIN
    assert points and all(w <= x <= e and s <= y <= n for x, y in points), who


def test_the_box_cuts_the_streets_and_the_count_is_capped(client, personas, network, monkeypatch):
    client.force_login(personas["district_admin"])
    small = _points(client.get(f"{URL}?bbox=118.72,31.92,118.74,31.94"))
    assert small and all(118.72 <= x <= 118.74 and 31.92 <= y <= 31.94 for x, y in small)
    monkeypatch.setattr(streets, "MAX_EDGES", 50)
    data = client.get(f"{URL}?bbox=118.6,31.8,118.9,32.1").json()
    assert data["truncated"] is True and data["features"][0]["properties"]["edges"] == 50


def test_no_network_means_no_streets(client, personas, tree):
    outline(tree)
    client.force_login(personas["district_admin"])
    assert client.get(URL).json() == {"type": "FeatureCollection", "features": [], "truncated": False}
