"""Outlines for the shared test tree (conftest ``tree``), laid out like a small district:

district 118.70–118.86 × 31.90–32.06
雨花街道 (street) the west half; 板桥街道 the east half
翠竹园社区 the street's south half, its two grids side by side, the compound 翠竹园 inside grid 1
凤台社区 the street's north half; 新林社区 = 板桥街道, its grid the whole community
"""

from __future__ import annotations

from typing import Any

from jishiyu.regions.models import Building, Region


def box(w: float, s: float, e: float, n: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


LAYOUT = {
    "district": (118.70, 31.90, 118.86, 32.06),
    "street": (118.70, 31.90, 118.78, 32.06),
    "other_street": (118.78, 31.90, 118.86, 32.06),
    "community": (118.70, 31.90, 118.78, 31.98),
    "sibling_community": (118.70, 31.98, 118.78, 32.06),
    "other_community": (118.78, 31.90, 118.86, 32.06),
    "grid": (118.70, 31.90, 118.74, 31.98),
    "grid2": (118.74, 31.90, 118.78, 31.98),
    "compound": (118.71, 31.91, 118.73, 31.93),
    "other_grid": (118.78, 31.90, 118.86, 32.06),
}


def outline(tree: Any) -> dict[str, Region]:
    """Give every node of the tree its outline and centroid; returns the nodes by their tree name."""
    nodes: dict[str, Region] = {}
    for name, (w, s, e, n) in LAYOUT.items():
        region = getattr(tree, name)
        Region.objects.filter(pk=region.pk).update(geometry=box(w, s, e, n), lon=(w + e) / 2, lat=(s + n) / 2)
        region.refresh_from_db()
        nodes[name] = region
    return nodes


def buildings(tree: Any) -> list[Building]:
    """Two buildings in 翠竹园 grid 1 and one in 新林."""
    return [
        Building.objects.create(
            community=tree.community, grid=tree.grid, region=tree.grid, number="1", lon=118.715, lat=31.915
        ),
        Building.objects.create(
            community=tree.community, grid=tree.grid, region=tree.grid, number="2", lon=118.72, lat=31.92
        ),
        Building.objects.create(
            community=tree.other_community,
            grid=tree.other_grid,
            region=tree.other_grid,
            number="9",
            lon=118.80,
            lat=31.95,
        ),
    ]
