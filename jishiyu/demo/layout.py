"""The demo district's layout (演示城区布局): outlines that nest and tile like a real district's.

The district is the hull around its streets' points; streets are the Voronoi cells of their points inside
it; each street's communities and each community's grids are relaxed Voronoi cells inside their parent.
Every cell is convex and the cells of one parent tile it exactly, so a building placed in its grid's cell
lies in its community's, its street's and the district's outlines too, and a ticket filed there lands
where it should. Work is done in a local frame in metres-ish units (longitude scaled by cos(latitude)),
so cells are round rather than stretched.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from jishiyu.regions.geometry import (
    Point,
    Ring,
    area,
    centroid,
    clip_convex,
    clip_half_plane,
    convex_hull,
    point_inside,
)

LAT0 = 31.95
KX = math.cos(math.radians(LAT0))  # a degree of longitude is this many degrees of latitude long here


def _to_local(p: Point) -> Point:
    return (p[0] * KX, p[1])


def _to_world(p: Point) -> Point:
    return (p[0] / KX, p[1])


def voronoi(container: Ring, seeds: Sequence[Point]) -> list[Ring]:
    """The Voronoi cell of each seed inside a convex container (world coordinates, open rings)."""
    box = [_to_local(p) for p in container]
    local = [_to_local(s) for s in seeds]
    cells: list[Ring] = []
    for i, (xi, yi) in enumerate(local):
        cell = list(box)
        for j, (xj, yj) in enumerate(local):
            if i == j or (xi, yi) == (xj, yj):
                continue
            # keep the points nearer to seed i: (pj - pi)·p <= (|pj|² - |pi|²) / 2
            a, b = xj - xi, yj - yi
            cell = clip_half_plane(cell, a, b, (xj * xj + yj * yj - xi * xi - yi * yi) / 2)
            if not cell:
                break
        cells.append([_to_world(p) for p in cell])
    return cells


def partition(container: Ring, count: int, rng: random.Random, *, rounds: int = 3) -> list[Ring]:
    """``count`` cells of similar size tiling a convex container, ordered west to east then south to north
    in bands, so that consecutive cells are neighbours (grids filled one after another stay together)."""
    if count <= 1:
        return [list(container)]
    seeds = [point_inside(container, rng, shrink=0.1) for _ in range(count)]
    cells = voronoi(container, seeds)
    for _ in range(rounds):  # Lloyd's relaxation: move each seed to its cell's centroid
        seeds = [centroid(c) if len(c) >= 3 else s for c, s in zip(cells, seeds, strict=True)]
        cells = voronoi(container, seeds)
    pairs = [(centroid(c) if len(c) >= 3 else s, c) for c, s in zip(cells, seeds, strict=True)]
    bands = max(1, round(math.sqrt(count / 2)))
    ys = [p[1] for p, _c in pairs]
    low, high = min(ys), max(ys) + 1e-12

    def key(item: tuple[Point, Ring]) -> tuple[int, float]:
        (x, y), _c = item
        band = min(bands - 1, int((y - low) / (high - low) * bands))
        return (band, x if band % 2 == 0 else -x)  # a snake through the bands

    return [c for _p, c in sorted(pairs, key=key)]


def district_outline(points: Sequence[Point], rng: random.Random, *, margin: float = 0.022) -> Ring:
    """A convex outline around the streets' points, with a margin of about 2 km and an uneven edge."""
    around: list[Point] = []
    for x, y in points:
        for k in range(10):
            angle = 2 * math.pi * k / 10 + rng.uniform(-0.2, 0.2)
            r = margin * rng.uniform(0.8, 1.2)
            around.append((x + r * math.cos(angle) / KX, y + r * math.sin(angle)))
    hull = convex_hull(around)
    return hull if area(hull) > 0 else hull[::-1]


def streets(outline: Ring, points: Sequence[Point]) -> list[Ring]:
    """The streets' cells: the Voronoi cells of their points (the real places of those streets)."""
    return voronoi(outline, points)


def buffered(points: Sequence[Point], container: Ring, *, grow: float = 0.0006) -> Ring:
    """A compound's outline: the hull of its buildings, grown by about 60 m, cut to its community."""
    if not points:
        return []
    hull = convex_hull(points)
    if len(hull) < 3:
        x, y = points[0]
        hull = [
            (x - grow / KX, y - grow),
            (x + grow / KX, y - grow),
            (x + grow / KX, y + grow),
            (x - grow / KX, y + grow),
        ]
    cx, cy = centroid(hull)
    grown: Ring = []
    for x, y in hull:
        dx, dy = (x - cx) * KX, y - cy
        d = math.hypot(dx, dy) or 1.0
        grown.append((cx + (dx + dx / d * grow) / KX, cy + dy + dy / d * grow))
    return clip_convex(grown, container)
