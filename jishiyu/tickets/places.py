"""Where a ticket belongs (定位): the grid whose polygon holds the point, else the gazetteer's reading of
the address, else a street dispatcher's queue. A ticket is never left without a queue."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from jishiyu.regions import gazetteer
from jishiyu.regions.models import Region
from jishiyu.regions.signals import region_changed

OUTSIDE_DISTRICT = _("This place lies outside the district.")
# Below this confidence, an address reading is not trusted and the ticket waits for a dispatcher.
MIN_ADDRESS_CONFIDENCE = 0.5


@dataclass
class Place:
    region: Region | None
    queue_region: Region
    resolved: bool


def _in_ring(lon: float, lat: float, ring: list[Any]) -> bool:
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % n][0], ring[(i + 1) % n][1]
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / ((y2 - y1) or 1e-12) + x1:
            inside = not inside
    return inside


def point_in_geometry(lon: float, lat: float, geometry: dict[str, Any] | None) -> bool:
    """Ray casting on a GeoJSON Polygon or MultiPolygon (holes respected)."""
    if not geometry:
        return False
    kind = geometry.get("type")
    polygons = (
        [geometry.get("coordinates") or []]
        if kind == "Polygon"
        else (geometry.get("coordinates") or [])
        if kind == "MultiPolygon"
        else []
    )
    for rings in polygons:
        if rings and _in_ring(lon, lat, rings[0]) and not any(_in_ring(lon, lat, hole) for hole in rings[1:]):
            return True
    return False


# Polygons of grids, compounds and communities with their bounding boxes, kept in memory for
# CACHE_SECONDS (intake resolves thousands of points a minute); dropped when a region changes.
CACHE_SECONDS = 300
_polygons: dict[str, Any] = {"at": 0.0, "items": []}


def _invalidate(**_kwargs: Any) -> None:
    _polygons["at"] = 0.0


region_changed.connect(_invalidate, dispatch_uid="tickets-places-polygons")


def _bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    coords = geometry.get("coordinates") or []
    rings = [coords[0]] if geometry.get("type") == "Polygon" and coords else [p[0] for p in coords if p]
    points = [pt for ring in rings for pt in ring]
    if not points:
        return (0.0, 0.0, -1.0, -1.0)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _candidates() -> list[tuple[int, int, tuple[float, float, float, float], dict[str, Any]]]:
    now = time.monotonic()
    if now - _polygons["at"] > CACHE_SECONDS:
        order: dict[str, int] = {"grid": 0, "compound": 1, "community": 2}
        rows = Region.objects.filter(kind__in=list(order), geometry__isnull=False).values_list("pk", "kind", "geometry")
        items = [(order[kind], pk, _bbox(geo), geo) for pk, kind, geo in rows if isinstance(geo, dict)]
        items.sort(key=lambda item: (item[0], item[1]))
        _polygons["items"], _polygons["at"] = items, now
    return _polygons["items"]


def region_at(lon: float, lat: float) -> Region | None:
    """The deepest grid (or compound, community) whose polygon holds the point (routing's cached index)."""
    from jishiyu.tickets import geo

    return geo.region_at(lon, lat)


def outside_district(lon: float, lat: float) -> bool:
    """True only when the district's outline is known and the point is not inside it."""
    from jishiyu.tickets import geo

    return geo.within_district(lon, lat) is False


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


def place_resolve(
    *,
    lon: float | None = None,
    lat: float | None = None,
    address: str = "",
    region: Region | None = None,
    fallback: Region | None = None,
) -> Place:
    """Resolve the place of a ticket. ``region`` is a place chosen outright (a grid worker's own grid);
    ``fallback`` a region whose street takes the ticket when nothing resolves (the reporter's home)."""
    if region is not None:
        return Place(region, region, True)
    if lon is not None and lat is not None:
        found = region_at(lon, lat)
        if found is not None:
            return Place(found, found, True)
    if address.strip():
        reading = gazetteer.resolve(address)
        node = reading.region
        if node is not None and reading.confidence >= MIN_ADDRESS_CONFIDENCE:
            found = Region.objects.filter(pk=node.id).first()
            if found is not None and found.kind not in (Region.Kind.DISTRICT,):
                return Place(found, found, True)
    street = street_of(fallback) or duty_street(lon, lat)
    return Place(None, street, False)
