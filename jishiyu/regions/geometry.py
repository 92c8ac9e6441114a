"""Plane geometry on the regions' GeoJSON outlines (WGS-84 lon/lat), small enough to need no GIS library.

Used by the map (bounding boxes, simplification of outlines sent to the browser) and by the generated
demo district (clipping convex cells, points inside an outline). Distances are in degrees: outlines of
one district span a few kilometres, where that is precise enough for drawing and sampling.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from typing import Any

Point = tuple[float, float]
Ring = list[Point]
BBox = tuple[float, float, float, float]  # west, south, east, north


def rings_of(geometry: Any) -> list[list[Ring]]:
    """The polygons of a GeoJSON Polygon/MultiPolygon: each a list of rings (outer first). Anything else: []."""
    if not isinstance(geometry, dict):
        return []
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    polygons: Any = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    out: list[list[Ring]] = []
    for polygon in polygons or []:
        try:
            out.append([[(float(p[0]), float(p[1])) for p in ring] for ring in polygon])
        except (TypeError, ValueError, IndexError):
            continue
    return out


def bbox_of(geometry: Any) -> BBox | None:
    """The bounding box of a Polygon/MultiPolygon/Point, or None."""
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        try:
            x, y = float(geometry["coordinates"][0]), float(geometry["coordinates"][1])
        except (TypeError, ValueError, IndexError, KeyError):
            return None
        return (x, y, x, y)
    points = [p for polygon in rings_of(geometry) for ring in polygon for p in ring]
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def bbox_union(boxes: Iterable[BBox | None]) -> BBox | None:
    real = [b for b in boxes if b is not None]
    if not real:
        return None
    return (min(b[0] for b in real), min(b[1] for b in real), max(b[2] for b in real), max(b[3] for b in real))


def bbox_intersects(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def bbox_expand(b: BBox, margin: float) -> BBox:
    return (b[0] - margin, b[1] - margin, b[2] + margin, b[3] + margin)


def parse_bbox(text: str | None) -> BBox | None:
    """ "west,south,east,north" in degrees, or None when absent. ValueError names what is wrong."""
    if not text:
        return None
    parts = text.split(",")
    if len(parts) != 4:
        raise ValueError("bbox")
    w, s, e, n = (float(p) for p in parts)
    if not all(math.isfinite(v) for v in (w, s, e, n)) or not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise ValueError("bbox")
    return (w, s, e, n)


# --- simplification (Douglas–Peucker) ----------------------------------------------------------------
def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def simplify_line(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker, iterative (no recursion limit on long outlines)."""
    if len(points) < 3 or tolerance <= 0:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _segment_distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify(geometry: Any, tolerance: float, digits: int = 6) -> dict[str, Any] | None:
    """A Polygon/MultiPolygon simplified to ``tolerance`` degrees and rounded; rings that collapse are dropped."""
    polygons = []
    for polygon in rings_of(geometry):
        rings: list[list[list[float]]] = []
        for ring in polygon:
            thin = simplify_line(ring, tolerance)
            if len(thin) < 4:  # a closed ring needs three corners and the closing point
                thin = ring if len(ring) >= 4 and not rings else []
            if len(thin) >= 4:
                rings.append([[round(x, digits), round(y, digits)] for x, y in thin])
        if rings:
            polygons.append(rings)
    if not polygons:
        return None
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


# --- convex cells, for generated layouts ---------------------------------------------------------------
def area(ring: Sequence[Point]) -> float:
    """Signed shoelace area (closed or open ring)."""
    pts = list(ring[:-1]) if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    return (
        sum(pts[i][0] * pts[(i + 1) % len(pts)][1] - pts[(i + 1) % len(pts)][0] * pts[i][1] for i in range(len(pts)))
        / 2
    )


def centroid(ring: Sequence[Point]) -> Point:
    pts = list(ring[:-1]) if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    a = area(pts)
    if abs(a) < 1e-15:
        return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
    cx = cy = 0.0
    for i in range(len(pts)):
        (x0, y0), (x1, y1) = pts[i], pts[(i + 1) % len(pts)]
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return (cx / (6 * a), cy / (6 * a))


def clip_half_plane(ring: Sequence[Point], a: float, b: float, c: float) -> Ring:
    """The part of an open ring where a·x + b·y <= c (Sutherland–Hodgman, one edge)."""
    out: Ring = []
    n = len(ring)
    for i in range(n):
        p, q = ring[i], ring[(i + 1) % n]
        fp, fq = a * p[0] + b * p[1] - c, a * q[0] + b * q[1] - c
        if fp <= 0:
            out.append(p)
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def clip_convex(ring: Sequence[Point], container: Sequence[Point]) -> Ring:
    """``ring`` cut to a convex ``container`` (both open rings)."""
    ccw = area(container) > 0
    out: Ring = list(ring)
    for i in range(len(container)):
        (x0, y0), (x1, y1) = container[i], container[(i + 1) % len(container)]
        # inside is to the left of each edge of a counter-clockwise container
        a, b = (y1 - y0, -(x1 - x0)) if ccw else (-(y1 - y0), x1 - x0)
        out = clip_half_plane(out, a, b, a * x0 + b * y0)
        if not out:
            break
    return out


def convex_hull(points: Iterable[Point]) -> Ring:
    """Counter-clockwise hull, open ring (monotone chain)."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: Ring = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: Ring = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def contains(ring: Sequence[Point], x: float, y: float) -> bool:
    """Ray casting on one ring."""
    inside = False
    n = len(ring)
    for i in range(n):
        (x0, y0), (x1, y1) = ring[i], ring[(i + 1) % n]
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            inside = not inside
    return inside


def point_inside(ring: Sequence[Point], rng: random.Random, *, shrink: float = 0.0) -> Point:
    """A random point inside a ring (rejection sampling in its box); ``shrink`` keeps it that share away from
    the edge, towards the centroid. Falls back to the centroid for degenerate rings."""
    pts = list(ring[:-1]) if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    cx, cy = centroid(pts)
    if shrink:
        pts = [(cx + (x - cx) * (1 - shrink), cy + (y - cy) * (1 - shrink)) for x, y in pts]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    for _ in range(200):
        x, y = rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys))
        if contains(pts, x, y):
            return (x, y)
    return (cx, cy)


def outer_ring(geometry: Any) -> Ring | None:
    """The outer ring (open) of a Polygon, or of the largest part of a MultiPolygon."""
    polygons = rings_of(geometry)
    if not polygons:
        return None
    ring = max((p[0] for p in polygons), key=lambda r: abs(area(r)))
    return ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring


def polygon_geojson(ring: Sequence[Point], digits: int = 6) -> dict[str, Any]:
    """An open ring as a closed, rounded GeoJSON Polygon (counter-clockwise, as RFC 7946 asks)."""
    pts = list(ring)
    if area(pts) < 0:
        pts.reverse()
    coords = [[round(x, digits), round(y, digits)] for x, y in pts]
    return {"type": "Polygon", "coordinates": [[*coords, coords[0]]]}
