"""Point in polygon for routing (网格定位): which region's outline holds a point.

Hand-written ray casting over the regions' GeoJSON (Polygon or MultiPolygon, holes respected), with a
per-process index of every outline and its bounding box, so a point costs a few box tests rather than
a query. The index is rebuilt whenever the gazetteer's name index is (both follow region changes: the
regions services drop it at once in their own process and bump a shared version for the others).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jishiyu.regions import gazetteer
from jishiyu.regions.models import Region
from jishiyu.tickets import lookups

Ring = list[tuple[float, float]]
Polygon = list[Ring]  # outer ring, then holes

# Which outline wins where several hold the point: a grid before the compound it overlaps, then the
# community, then the street.
KIND_ORDER: dict[str, int] = {
    Region.Kind.GRID: 0,
    Region.Kind.COMPOUND: 1,
    Region.Kind.COMMUNITY: 2,
    Region.Kind.STREET: 3,
    Region.Kind.PARK: 3,
}
PLACE_KINDS = (Region.Kind.GRID, Region.Kind.COMPOUND, Region.Kind.COMMUNITY)
STREET_KINDS = (Region.Kind.STREET, Region.Kind.PARK)


def _ring(coords: Iterable[Sequence[float]]) -> Ring:
    return [(float(p[0]), float(p[1])) for p in coords]


def polygons_of(geometry: Any) -> list[Polygon]:
    """The polygons of a GeoJSON Polygon / MultiPolygon (anything else: none)."""
    if not isinstance(geometry, dict):
        return []
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coords, list):
        return []
    try:
        if kind == "Polygon":
            return [[_ring(r) for r in coords]]
        if kind == "MultiPolygon":
            return [[_ring(r) for r in poly] for poly in coords]
    except (TypeError, ValueError, IndexError):
        return []
    return []


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Ray casting (even-odd rule): count the edges a ray to the east crosses."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_polygon(lon: float, lat: float, polygon: Polygon) -> bool:
    """In the outer ring and in none of the holes."""
    if not polygon or not _in_ring(lon, lat, polygon[0]):
        return False
    return not any(_in_ring(lon, lat, hole) for hole in polygon[1:])


def point_in_geometry(lon: float, lat: float, geometry: Any) -> bool:
    return any(point_in_polygon(lon, lat, p) for p in polygons_of(geometry))


@dataclass(frozen=True, slots=True)
class Area:
    region_id: int
    kind: str
    path: str
    bbox: tuple[float, float, float, float]
    polygons: list[Polygon]

    def holds(self, lon: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.bbox
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            return False
        return any(point_in_polygon(lon, lat, p) for p in self.polygons)


class AreaIndex:
    """Every region with an outline, finest kind first."""

    def __init__(self) -> None:
        self.areas: list[Area] = []
        self.districts: list[Area] = []
        rows = Region.objects.exclude(geometry__isnull=True).values_list("id", "kind", "path", "geometry")
        for pk, kind, path, geometry in rows:
            polygons = polygons_of(geometry)
            points = [pt for poly in polygons for pt in poly[0]]
            if len(points) < 3:
                continue
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            area = Area(pk, kind, path, (min(xs), min(ys), max(xs), max(ys)), polygons)
            if kind == Region.Kind.DISTRICT:
                self.districts.append(area)
            elif kind in KIND_ORDER:
                self.areas.append(area)
        self.areas.sort(key=lambda a: (KIND_ORDER[a.kind], -len(a.path)))

    def locate(self, lon: float, lat: float, kinds: Sequence[str] = PLACE_KINDS) -> int | None:
        """The id of the finest region of those kinds whose outline holds the point."""
        for area in self.areas:
            if area.kind in kinds and area.holds(lon, lat):
                return area.region_id
        return None

    def within_district(self, lon: float, lat: float) -> bool | None:
        """Whether a district outline holds the point; None when no district has an outline."""
        if not self.districts:
            return None
        return any(d.holds(lon, lat) for d in self.districts)


_lock = threading.Lock()
_state: dict[str, Any] = {"index": None, "built_with": None}


def area_index() -> AreaIndex:
    """The per-process index, rebuilt whenever the gazetteer's is (a region changed)."""
    names = gazetteer.get_index()
    index: AreaIndex | None = _state["index"]
    if index is not None and _state["built_with"] is names:
        return index
    with _lock:
        if _state["index"] is None or _state["built_with"] is not names:
            _state["index"] = AreaIndex()
            _state["built_with"] = names
        return _state["index"]  # type: ignore[no-any-return]


def region_at(lon: float, lat: float, kinds: Sequence[str] = PLACE_KINDS) -> Region | None:
    """定位: the finest grid / compound / community whose outline holds the point."""
    pk = area_index().locate(float(lon), float(lat), kinds)
    return lookups.region_by_id(pk) if pk is not None else None


def street_at(lon: float, lat: float) -> Region | None:
    """The street (or park) whose outline holds the point."""
    return region_at(lon, lat, STREET_KINDS)


def within_district(lon: float, lat: float) -> bool | None:
    return area_index().within_district(float(lon), float(lat))
