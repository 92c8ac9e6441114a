"""Point in polygon for routing (网格定位): which region's outline holds a point.

Hand-written ray casting over the regions' GeoJSON (Polygon or MultiPolygon, holes respected), with a
per-process index of every outline and its bounding box, so a point costs a few box tests rather than
a query. The index is rebuilt whenever the gazetteer's name index is (both follow region changes: the
regions services drop it at once in their own process and bump a shared version for the others).
"""

from __future__ import annotations

import math
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

    def nearest(self, lon: float, lat: float, kinds: Sequence[str] = PLACE_KINDS) -> tuple[int, float] | None:
        """The region of those kinds whose outline lies nearest the point, and how far in metres (0 inside).
        Outlines are visited by the distance to their box, and the walk stops once a box lies farther
        than the best outline found: a few outlines are measured, not all."""
        scale = math.cos(math.radians(lat))
        candidates = sorted(
            ((_box_metres(lon, lat, area.bbox, scale), KIND_ORDER[area.kind], area) for area in self.areas),
            key=lambda c: (c[0], c[1]),
        )
        best: tuple[float, int, int] | None = None
        for box, order, area in candidates:
            if area.kind not in kinds:
                continue
            if best is not None and box > best[0]:
                break
            metres = 0.0 if area.holds(lon, lat) else _outline_metres(lon, lat, area.polygons, scale)
            if best is None or (metres, order) < (best[0], best[1]):
                best = (metres, order, area.region_id)
        return None if best is None else (best[2], best[0])

    def within_district(self, lon: float, lat: float) -> bool | None:
        """Whether a district outline holds the point; None when no district has an outline."""
        if not self.districts:
            return None
        return any(d.holds(lon, lat) for d in self.districts)


# Metres per degree (WGS-84, near the ground): plenty for "35 m from the grid" at a district's size.
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON = 111_320.0


def _box_metres(lon: float, lat: float, bbox: tuple[float, float, float, float], scale: float) -> float:
    x0, y0, x1, y1 = bbox
    dx = max(x0 - lon, 0.0, lon - x1) * M_PER_DEG_LON * scale
    dy = max(y0 - lat, 0.0, lat - y1) * M_PER_DEG_LAT
    return math.hypot(dx, dy)


def _segment_metres(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    """Distance from p to the segment ab, all in local metres."""
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _outline_metres(lon: float, lat: float, polygons: list[Polygon], scale: float) -> float:
    """Distance from a point outside the outline to its nearest edge (every ring counts)."""
    kx, ky = M_PER_DEG_LON * scale, M_PER_DEG_LAT
    px, py = lon * kx, lat * ky
    best = math.inf
    for polygon in polygons:
        for ring in polygon:
            for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
                best = min(best, _segment_metres(px, py, ax * kx, ay * ky, bx * kx, by * ky))
    return best


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


def nearest_region(lon: float, lat: float) -> tuple[Region, float] | None:
    """附近的地点: the grid (or compound, community) whose outline lies nearest the point, and the metres."""
    found = area_index().nearest(float(lon), float(lat))
    if found is None:
        return None
    region = lookups.region_by_id(found[0])
    return None if region is None else (region, found[1])


def street_at(lon: float, lat: float) -> Region | None:
    """The street (or park) whose outline holds the point."""
    return region_at(lon, lat, STREET_KINDS)


def within_district(lon: float, lat: float) -> bool | None:
    return area_index().within_district(float(lon), float(lat))
