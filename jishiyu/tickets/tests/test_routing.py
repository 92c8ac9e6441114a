"""Routing: point in polygon, the gazetteer fallback, the street queue, and the rules' precedence."""

from __future__ import annotations

import pytest

from jishiyu.core.errors import NotFound, ValidationFailed
from jishiyu.organisations.models import Organisation
from jishiyu.regions.models import Region
from jishiyu.tickets import geo, routing
from jishiyu.tickets.models import RoutingRule
from jishiyu.tickets.tests.routing_factories import category, square

pytestmark = pytest.mark.django_db

HOLE = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
    ],
}


def _outline(region: Region, lon: float, lat: float, size: float = 0.01) -> None:
    Region.objects.filter(pk=region.pk).update(geometry=square(lon, lat, size))
    from jishiyu.regions import gazetteer

    gazetteer.invalidate(local_only=True)


def test_a_point_inside_a_polygon_is_held_and_one_in_its_hole_is_not() -> None:
    assert geo.point_in_geometry(1, 1, HOLE)
    assert not geo.point_in_geometry(5, 5, HOLE)
    assert not geo.point_in_geometry(11, 5, HOLE)


def test_a_multipolygon_holds_a_point_in_any_of_its_parts() -> None:
    multi = {"type": "MultiPolygon", "coordinates": [square(0, 0, 1)["coordinates"], square(5, 5, 1)["coordinates"]]}
    assert geo.point_in_geometry(5.5, 5.5, multi)
    assert not geo.point_in_geometry(3, 3, multi)


def test_broken_geometry_holds_nothing() -> None:
    assert not geo.point_in_geometry(1, 1, {"type": "Polygon", "coordinates": "nonsense"})
    assert not geo.point_in_geometry(1, 1, None)


def test_a_point_is_placed_in_the_grid_whose_outline_holds_it(tree) -> None:
    _outline(tree.community, 118.70, 31.90, 0.1)
    _outline(tree.grid, 118.70, 31.90, 0.05)
    _outline(tree.grid2, 118.75, 31.90, 0.05)
    assert geo.region_at(118.76, 31.91) == tree.grid2
    assert geo.region_at(118.71, 31.91) == tree.grid


def test_a_grid_wins_over_the_compound_it_overlaps(tree) -> None:
    _outline(tree.compound, 118.70, 31.90, 0.05)
    _outline(tree.grid, 118.70, 31.90, 0.05)
    assert geo.region_at(118.71, 31.91) == tree.grid


def test_a_point_in_a_community_without_grid_outlines_is_placed_in_the_community(tree) -> None:
    _outline(tree.other_community, 118.60, 31.80, 0.1)
    assert geo.region_at(118.65, 31.85) == tree.other_community


def test_a_point_outside_every_outline_has_no_place(tree) -> None:
    _outline(tree.grid, 118.70, 31.90, 0.05)
    assert geo.region_at(120.0, 30.0) is None


def test_a_point_outside_the_district_outline_is_told_apart(tree) -> None:
    assert geo.within_district(118.7, 31.9) is None  # no outline: cannot tell
    _outline(tree.district, 118.5, 31.7, 0.5)
    assert geo.within_district(118.7, 31.9) is True
    assert geo.within_district(117.0, 31.9) is False


def test_the_area_index_follows_a_region_change(tree) -> None:
    _outline(tree.grid, 118.70, 31.90, 0.05)
    assert geo.region_at(118.71, 31.91) == tree.grid
    _outline(tree.grid, 119.70, 31.90, 0.05)
    assert geo.region_at(118.71, 31.91) is None


def test_routing_places_a_ticket_by_its_point_first(tree) -> None:
    _outline(tree.grid, 118.70, 31.90, 0.05)
    place, handler = routing.route(category=None, lon=118.71, lat=31.91, address="板桥街道新林社区")
    assert place.resolved and place.region == tree.grid
    assert handler is not None and handler.region == tree.community  # default: the place's community


def test_without_a_point_the_address_is_read_by_the_gazetteer(tree) -> None:
    place, handler = routing.route(category=None, address="南京市雨花台区板桥街道新林社区")
    assert place.resolved and place.region == tree.other_community
    assert handler is not None and handler.region == tree.other_community


def test_a_point_outside_every_grid_falls_back_to_the_address(tree) -> None:
    _outline(tree.grid, 118.70, 31.90, 0.05)
    place, _handler = routing.route(category=None, lon=120.0, lat=30.0, address="雨花台区凤台社区")
    assert place.resolved and place.region == tree.sibling_community


def test_an_unresolvable_ticket_waits_in_a_street_dispatchers_queue_without_a_handler(tree) -> None:
    place, handler = routing.route(category=None, address="火星第三基地")
    assert not place.resolved
    assert place.queue_region.kind == Region.Kind.STREET
    assert handler is None


def test_an_unresolvable_ticket_goes_to_the_community_of_the_fallback_region(tree) -> None:
    place, _handler = routing.route(category=None, address="", fallback=tree.other_grid)
    assert place.queue_region == tree.other_community and place.basis == "home"


def test_a_fallback_above_community_level_sends_the_ticket_to_its_street(tree) -> None:
    place, _handler = routing.route(category=None, address="", fallback=tree.other_street)
    assert not place.resolved and place.queue_region == tree.other_street


def _rule(**fields) -> RoutingRule:
    return RoutingRule.objects.create(**fields)


def test_the_exact_category_rule_beats_its_parents_rule_and_the_any_category_rule(tree) -> None:
    parent = category("A", "公用设施")
    lamp = category("A01", "路灯", parent=parent)
    _rule(category=None, handler_level=routing.Level.STREET, priority=50)
    _rule(category=parent, handler_level=routing.Level.COMMUNITY)
    _rule(category=lamp, handler_level=routing.Level.GRID)
    handler = routing.handler_for(category=lamp, place=tree.grid)
    assert handler is not None and handler.region == tree.grid and handler.level == routing.Level.GRID


def test_a_parents_rule_applies_to_its_subcategories(tree) -> None:
    parent = category("A", "公用设施")
    lamp = category("A01", "路灯", parent=parent)
    rule = _rule(category=parent, handler_level=routing.Level.STREET)
    handler = routing.handler_for(category=lamp, place=tree.grid)
    assert handler is not None and handler.region == tree.street and handler.rule_id == rule.pk


def test_the_rule_of_the_deeper_place_beats_the_district_wide_rule(tree) -> None:
    lamp = category()
    _rule(category=lamp, handler_level=routing.Level.STREET)
    _rule(category=lamp, region=tree.other_community, handler_level=routing.Level.GRID)
    here = routing.handler_for(category=lamp, place=tree.other_grid)
    there = routing.handler_for(category=lamp, place=tree.grid)
    assert here is not None and here.region == tree.other_grid
    assert there is not None and there.region == tree.street


def test_priority_decides_between_equally_specific_rules_and_inactive_rules_are_ignored(tree) -> None:
    lamp = category()
    _rule(category=lamp, handler_level=routing.Level.STREET, priority=1)
    _rule(category=lamp, handler_level=routing.Level.GRID, priority=5)
    _rule(category=lamp, handler_level=routing.Level.COMMUNITY, priority=9, active=False)
    handler = routing.handler_for(category=lamp, place=tree.grid)
    assert handler is not None and handler.region == tree.grid


def test_a_department_rule_names_the_department(tree) -> None:
    lamp = category()
    dept = Organisation.objects.create(kind=Organisation.Kind.DEPARTMENT, name="城管局", region=tree.district)
    _rule(category=lamp, handler_level=routing.Level.DEPARTMENT, handler_org=dept)
    handler = routing.handler_for(category=lamp, place=tree.grid)
    assert handler is not None and handler.org == dept and handler.key == f"org:{dept.pk}"


def test_a_grid_rule_for_a_place_known_only_to_its_community_goes_to_the_community(tree) -> None:
    lamp = category()
    _rule(category=lamp, handler_level=routing.Level.GRID)
    handler = routing.handler_for(category=lamp, place=tree.other_community)
    assert handler is not None and handler.region == tree.other_community


def test_the_district_admin_creates_a_rule(personas, tree) -> None:
    lamp = category()
    rule = routing.routing_rule_create(
        actor=personas["district_admin"],
        data={"category": lamp.pk, "region": tree.community.pk, "handler_level": "grid", "priority": 3},
    )
    assert rule.category == lamp and rule.region == tree.community and rule.priority == 3


def test_a_department_rule_without_a_department_is_refused_by_field(personas) -> None:
    with pytest.raises(ValidationFailed) as caught:
        routing.routing_rule_create(actor=personas["district_admin"], data={"handler_level": "department"})
    assert set(caught.value.errors) == {"handler_org"}
    assert RoutingRule.objects.count() == 0


def test_an_unknown_level_and_category_are_refused_by_field(personas) -> None:
    with pytest.raises(ValidationFailed) as caught:
        routing.routing_rule_create(actor=personas["district_admin"], data={"handler_level": "moon", "category": 999})
    assert set(caught.value.errors) == {"handler_level", "category"}


@pytest.mark.parametrize("name", ["community_worker", "street_dispatcher", "outsider", "other_community_worker"])
def test_staff_without_the_district_configuration_right_cannot_edit_rules(personas, name) -> None:
    with pytest.raises(NotFound):
        routing.routing_rule_create(actor=personas[name], data={"handler_level": "street"})


def test_the_rule_list_is_empty_for_an_outsider(personas, tree) -> None:
    _rule(handler_level=routing.Level.STREET)
    assert list(routing.routing_rule_list(actor=personas["outsider"])) == []
    assert len(routing.routing_rule_list(actor=personas["district_admin"])) == 1
