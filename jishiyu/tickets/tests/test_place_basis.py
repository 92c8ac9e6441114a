"""A request whose pin falls in no grid: it waits in the reporter's registered community (and says so), its
coordinates and the nearest place are shown, and the community's worker can open it."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.people.models import Person
from jishiyu.regions import gazetteer
from jishiyu.regions.models import Region
from jishiyu.tickets import geo, selectors, services
from jishiyu.tickets.models import PlaceBasis, Ticket
from jishiyu.tickets.tests.routing_factories import square

pytestmark = pytest.mark.django_db

# 翠竹园第一网格 is a 0.01° square at (118.70, 31.90); its community is the same square (the grids tile it).
GRID_LON, GRID_LAT, SIZE = 118.70, 31.90, 0.01
# About 110 m north of the grid's northern edge.
OUTSIDE = (118.705, 31.911)


@pytest.fixture
def outlines(tree: Any) -> None:
    Region.objects.filter(pk=tree.grid.pk).update(geometry=square(GRID_LON, GRID_LAT, SIZE))
    Region.objects.filter(pk=tree.community.pk).update(geometry=square(GRID_LON, GRID_LAT, SIZE))
    Region.objects.filter(pk=tree.other_grid.pk).update(geometry=square(118.80, 31.80, SIZE))
    gazetteer.invalidate(local_only=True)


@pytest.fixture
def resident(personas: Any, tree: Any) -> Any:
    """The resident persona, registered as living in 翠竹园第一网格."""
    user = personas["resident"]
    Person.objects.create(region=tree.grid, name="居民甲", user=user)
    return user


def _file(actor: Any, **fields: Any) -> Ticket:
    ticket, _created = services.ticket_create(
        actor=actor, channel="portal", kind="help", content="小区门口路灯不亮", **fields
    )
    return ticket


def test_a_pin_just_outside_every_grid_goes_to_the_residents_registered_community(
    outlines: None, resident: Any, tree: Any
) -> None:
    ticket = _file(resident, lon=OUTSIDE[0], lat=OUTSIDE[1])
    assert ticket.queue_region == tree.community
    assert ticket.region_path == tree.community.path
    assert ticket.place_basis == PlaceBasis.HOME
    assert ticket.lon == OUTSIDE[0] and ticket.lat == OUTSIDE[1]


def test_a_pin_inside_a_grid_is_placed_by_the_point(outlines: None, resident: Any, tree: Any) -> None:
    ticket = _file(resident, lon=GRID_LON + 0.005, lat=GRID_LAT + 0.005)
    assert ticket.queue_region == tree.grid and ticket.place_basis == PlaceBasis.POINT


def test_without_a_registered_home_an_unplaceable_request_still_goes_to_a_street_queue(
    outlines: None, personas: Any
) -> None:
    ticket = _file(personas["outsider"], lon=OUTSIDE[0], lat=OUTSIDE[1])
    assert ticket.queue_region.kind == Region.Kind.STREET
    assert ticket.place_basis == PlaceBasis.NONE and not ticket.place_resolved


def test_the_nearest_place_of_a_pin_outside_every_outline_is_measured_in_metres(outlines: None, tree: Any) -> None:
    found = geo.nearest_region(*OUTSIDE)
    assert found is not None
    region, metres = found
    assert region == tree.grid  # the grid before the community with the same outline
    assert 100 < metres < 125


def test_the_place_of_a_ticket_names_its_basis_and_the_nearest_grid(outlines: None, resident: Any) -> None:
    place = selectors.ticket_place(ticket=_file(resident, lon=OUTSIDE[0], lat=OUTSIDE[1]))
    assert place["by_home"] and not place["unplaced"]
    assert place["nearest"]["region"].name == "翠竹园第一网格"


def test_the_community_worker_opens_the_request_and_sees_its_coordinates_and_basis(
    client: Any, outlines: None, resident: Any, personas: Any
) -> None:
    ticket = _file(resident, lon=OUTSIDE[0], lat=OUTSIDE[1])
    client.force_login(personas["community_worker"])
    page = client.get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "118.70500, 31.91100" in page
    assert "未定位" not in page
    assert "按居民登记社区" in page
    assert "翠竹园第一网格" in page  # the nearest place, with its distance
    listing = client.get("/tickets/?queue=all").content.decode()
    assert f'href="/tickets/{ticket.pk}/"' in listing


def test_the_community_worker_of_another_community_still_gets_404(
    client: Any, outlines: None, resident: Any, personas: Any
) -> None:
    ticket = _file(resident, lon=OUTSIDE[0], lat=OUTSIDE[1])
    client.force_login(personas["other_community_worker"])
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 404


def test_the_resident_is_told_where_the_request_went(client: Any, outlines: None, resident: Any) -> None:
    ticket = _file(resident, lon=OUTSIDE[0], lat=OUTSIDE[1])
    client.force_login(resident)
    page = client.get(f"/tickets/mine/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "翠竹园社区" in page
    assert "登记的社区" in page
