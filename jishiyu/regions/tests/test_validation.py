from __future__ import annotations

from decimal import Decimal

import pytest

from jishiyu.core.errors import DomainError
from jishiyu.regions import validators as v
from jishiyu.regions.models import Dwelling
from jishiyu.regions.services import (
    COMPOUND_NOT_IN_COMMUNITY,
    GRID_NOT_IN_COMMUNITY,
    building_create,
    dwelling_create,
    region_create,
)


@pytest.mark.parametrize(
    ("kind", "code", "community_kind", "parent", "message"),
    [
        ("district", "32011400000", "", "", v.CODE_NOT_12_DIGITS),
        ("district", "32011400000x", "", "", v.CODE_NOT_12_DIGITS),
        ("district", "320114001000", "", "", v.CODE_DISTRICT_SHAPE),
        ("street", "320114100000", "", "320114000000", v.CODE_STREET_RANGE),
        ("park", "320114005000", "", "320114000000", v.CODE_PARK_RANGE),
        ("street", "320114005001", "", "320114000000", v.CODE_TOWNSHIP_TAIL),
        ("community", "320114005003", "village", "320114005000", v.CODE_VILLAGE_RANGE),
        ("community", "320114005201", "commercial", "320114005000", v.CODE_RESIDENTS_RANGE),
        ("grid", "320114005003", "", "", v.CODE_NO_NBS_FOR_KIND),
    ],
)
def test_a_division_code_that_breaks_a_rule_gets_that_rules_message(kind, code, community_kind, parent, message):
    assert v.nbs_code_error(kind, code, community_kind=community_kind, parent_code=parent) == str(message)


@pytest.mark.parametrize(
    ("kind", "code", "community_kind", "parent"),
    [
        ("district", "320114000000", "", "320100000000"),
        ("street", "320114005000", "", "320114000000"),
        ("park", "320114402000", "", "320114000000"),
        ("community", "320114005201", "village", "320114005000"),
        ("community", "320114001003", "legacy_industrial", "320114001000"),
    ],
)
def test_a_valid_division_code_passes(kind, code, community_kind, parent):
    assert v.nbs_code_error(kind, code, community_kind=community_kind, parent_code=parent) is None


def test_a_code_outside_its_parents_prefix_is_refused_with_both_codes_named(tree):
    with pytest.raises(DomainError) as err:
        region_create(
            kind="community",
            name="新社区",
            parent=tree.street,
            community_kind="commercial",
            codes=[("nbs", "320114005009")],
        )
    assert err.value.field == "nbs_code"
    assert "320114005009" in str(err.value.message) and "320114001" in str(err.value.message)


def test_a_community_needs_its_kind(tree):
    with pytest.raises(DomainError) as err:
        region_create(kind="community", name="无类型社区", parent=tree.street)
    assert err.value.field == "community_kind"


def test_a_polygons_representative_point_is_its_centroid(tree):
    square = {
        "type": "Polygon",
        "coordinates": [[[118.0, 32.0], [118.2, 32.0], [118.2, 32.2], [118.0, 32.2], [118.0, 32.0]]],
    }
    region = region_create(kind="compound", name="方形小区", parent=tree.community, geometry=square)
    assert region.lon == pytest.approx(118.1) and region.lat == pytest.approx(32.1)


def test_a_hole_moves_the_centroid_away_from_it():
    outer = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    _, lon, lat = v.geometry_clean({"type": "Polygon", "coordinates": [outer, hole]})
    assert lon > 2 and lat > 2


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [181, 32]}, v.GEO_LON_RANGE),
        ({"type": "Point", "coordinates": [118, -91]}, v.GEO_LAT_RANGE),
        ({"type": "Point", "coordinates": ["118", 32]}, v.GEO_BAD_POSITION),
        ({"type": "LineString", "coordinates": [[118, 32], [118.1, 32]]}, v.GEO_BAD_TYPE),
        ({"type": "Polygon", "coordinates": [[[118, 32], [118.1, 32], [118.1, 32.1], [118, 32.1]]]}, v.GEO_RING_OPEN),
        ({"type": "Polygon", "coordinates": [[[118, 32], [118.1, 32], [118, 32]]]}, v.GEO_RING_SHORT),
        ({"type": "Polygon", "coordinates": [[[118, 32], [118.1, 32], [118.2, 32], [118, 32]]]}, v.GEO_NO_AREA),
        ({"coordinates": [118, 32]}, v.GEO_NOT_OBJECT),
    ],
)
def test_bad_geometry_is_refused_with_a_message_on_the_geometry_field(geometry, message):
    with pytest.raises(DomainError) as err:
        v.geometry_clean(geometry)
    assert err.value.field == "geometry"
    assert err.value.message == message


def test_a_buildings_grid_must_belong_to_its_community(tree):
    with pytest.raises(DomainError) as err:
        building_create(actor=None, community=tree.community, grid=tree.other_grid, number="1")
    assert err.value.message == GRID_NOT_IN_COMMUNITY


def test_a_buildings_compound_must_belong_to_its_community(tree):
    with pytest.raises(DomainError) as err:
        building_create(actor=None, community=tree.other_community, compound=tree.compound, number="1")
    assert err.value.message == COMPOUND_NOT_IN_COMMUNITY


def test_a_building_sits_in_its_grid_else_its_community_and_its_dwellings_follow(tree):
    in_grid = building_create(actor=None, community=tree.community, grid=tree.grid, number="1")
    no_grid = building_create(actor=None, community=tree.community, compound=tree.compound, number="2")
    assert in_grid.region_id == tree.grid.pk and no_grid.region_id == tree.community.pk
    dwelling = dwelling_create(actor=None, building=in_grid, number="101")
    assert dwelling.region_id == tree.grid.pk


@pytest.mark.parametrize(
    ("area", "source", "field", "message"),
    [
        ("0", "register", "exclusive_area", v.AREA_NOT_POSITIVE),
        ("-3", "register", "exclusive_area", v.AREA_NOT_POSITIVE),
        ("89.505", "register", "exclusive_area", v.AREA_TWO_DECIMALS),
        ("abc", "register", "exclusive_area", v.AREA_NOT_POSITIVE),
        ("89.5", "", "area_source", v.AREA_SOURCE_REQUIRED),
    ],
)
def test_a_bad_exclusive_area_is_refused_and_nothing_is_written(tree, area, source, field, message):
    building = building_create(actor=None, community=tree.community, grid=tree.grid, number="1")
    with pytest.raises(DomainError) as err:
        dwelling_create(actor=None, building=building, number="101", exclusive_area=area, area_source=source)
    assert (err.value.field, err.value.message) == (field, message)
    assert not Dwelling.objects.exists()


def test_an_area_is_stored_with_two_decimals_and_its_source(tree):
    building = building_create(actor=None, community=tree.community, grid=tree.grid, number="1")
    dwelling = dwelling_create(
        actor=None, building=building, number="101", exclusive_area="89.5", area_source="survey", developer_held=True
    )
    dwelling.refresh_from_db()
    assert dwelling.exclusive_area == Decimal("89.50")
    assert dwelling.area_source == "survey" and dwelling.developer_held
