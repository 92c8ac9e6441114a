"""Where a ticket belongs (定位): the grid whose polygon holds the point, else the gazetteer's reading of
the address, else the reporter's registered home community, else a street dispatcher's queue. A ticket
is never left without a queue, and says on which basis it was placed (``Ticket.place_basis``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from jishiyu.regions import gazetteer
from jishiyu.regions.models import Region
from jishiyu.tickets import lookups
from jishiyu.tickets.models import PlaceBasis

OUTSIDE_DISTRICT = _("This place lies outside the district.")
# Below this confidence, an address reading is not trusted and the ticket waits for a dispatcher.
MIN_ADDRESS_CONFIDENCE = 0.5


@dataclass
class Place:
    region: Region | None
    queue_region: Region
    resolved: bool
    basis: str = PlaceBasis.NONE


def region_at(lon: float, lat: float) -> Region | None:
    """The deepest grid (or compound, community) whose polygon holds the point (one index: tickets.geo)."""
    from jishiyu.tickets import geo

    return geo.region_at(lon, lat)


def outside_district(lon: float, lat: float) -> bool:
    """True only when the district's outline is known and the point is not inside it."""
    from jishiyu.tickets import geo

    return geo.within_district(lon, lat) is False


def community_of(region: Region | None) -> Region | None:
    """The community holding a region (itself when it is one); None above community level."""
    if region is None:
        return None
    if region.kind == Region.Kind.COMMUNITY:
        return region
    if region.kind in (Region.Kind.DISTRICT, Region.Kind.STREET, Region.Kind.PARK):
        return None
    ids = region.ancestor_ids()
    return Region.objects.filter(pk__in=ids, kind=Region.Kind.COMMUNITY).order_by("-depth").first()


def street_of(region: Region | None) -> Region | None:
    if region is None:
        return None
    if region.kind in (Region.Kind.STREET, Region.Kind.PARK):
        return region
    ids = region.ancestor_ids()
    return Region.objects.filter(pk__in=ids, kind__in=[Region.Kind.STREET, Region.Kind.PARK]).first()


def duty_street(lon: float | None = None, lat: float | None = None) -> Region:
    """The street whose dispatcher takes unplaced tickets: the nearest street centre to the point, else the first."""
    streets = list(Region.objects.filter(kind__in=[Region.Kind.STREET, Region.Kind.PARK]).order_by("path"))
    if lon is not None and lat is not None:
        located = [s for s in streets if s.lon is not None and s.lat is not None]
        if located:
            return min(located, key=lambda s: (s.lon - lon) ** 2 + (s.lat - lat) ** 2)  # type: ignore[operator]
    if streets:
        return streets[0]
    district = Region.objects.filter(kind=Region.Kind.DISTRICT).order_by("path").first()
    if district is None:
        raise Region.DoesNotExist("No region tree.")
    return district


_readings: dict[str, Any] = {"index": None, "ids": {}}
MAX_READINGS = 20_000


def address_region_id(address: str) -> int | None:
    """The region an address names with enough confidence (None when none does). Readings are kept per
    gazetteer index (rebuilt after any region change): the hotline sends the same addresses again and again."""
    index = gazetteer.get_index()
    if _readings["index"] is not index:
        _readings["index"], _readings["ids"] = index, {}
    ids: dict[str, int | None] = _readings["ids"]
    if address in ids:
        return ids[address]
    reading = gazetteer.resolve(address)
    node = reading.region
    found = node.id if node is not None and reading.confidence >= MIN_ADDRESS_CONFIDENCE else None
    if len(ids) >= MAX_READINGS:
        ids.clear()
    ids[address] = found
    return found


def place_resolve(
    *,
    lon: float | None = None,
    lat: float | None = None,
    address: str = "",
    region: Region | None = None,
    fallback: Region | None = None,
) -> Place:
    """Resolve the place of a ticket. ``region`` is a place chosen outright (a grid worker's own grid);
    ``fallback`` the reporter's registered home: when neither the point nor the address names a place,
    the ticket waits in the home's community, where its workers see it (a pin dropped a few metres
    outside the community's outline must not send a resident's request to the street), and only
    without one in a street dispatcher's queue."""
    if region is not None:
        return Place(region, region, True, PlaceBasis.CHOSEN)
    if lon is not None and lat is not None:
        found = region_at(lon, lat)
        if found is not None:
            return Place(found, found, True, PlaceBasis.POINT)
    if address.strip():
        region_id = address_region_id(address)
        found = lookups.region_by_id(region_id) if region_id is not None else None
        if found is not None and found.kind not in (Region.Kind.DISTRICT,):
            return Place(found, found, True, PlaceBasis.ADDRESS)
    home = community_of(fallback)
    if home is not None:
        return Place(home, home, True, PlaceBasis.HOME)
    street = street_of(fallback) or duty_street(lon, lat)
    return Place(None, street, False, PlaceBasis.NONE)
