"""Demo data of the circles app (幸福圈演示数据): a generated street network over the demo district's buildings,
facilities with deliberate gaps, one facility per community gone from the source, and one coverage run."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
from django.utils import timezone

from jishiyu.circles.generate import grid_network
from jishiyu.circles.models import BuildingCoverage, Category, CoverageRun, Facility, Network
from jishiyu.circles.network import EARTH_RADIUS, build_network
from jishiyu.circles.services import coverage_compute, network_store
from jishiyu.regions import geometry
from jishiyu.regions.models import Building

SPACING = 90.0  # metres between junctions
MARGIN = 600.0  # metres of street beyond the outermost buildings


def build(context: Any) -> None:
    district = context.district
    if district is None:
        return
    rng = context.rng("circles")
    points: list[tuple[int, float, float]] = [
        (c, float(x), float(y))
        for c, x, y in Building.objects.filter(
            region__path__startswith=district.path, lon__isnull=False, lat__isnull=False
        ).values_list("community_id", "lon", "lat")
        if x is not None and y is not None
    ]
    if not points:
        return
    lons, lats = [p[1] for p in points], [p[2] for p in points]
    k = math.pi / 180
    lat0 = min(lats) - MARGIN / (EARTH_RADIUS * k)
    lon0 = min(lons) - MARGIN / (EARTH_RADIUS * k * math.cos(lat0 * k))
    height = (max(lats) - min(lats)) * k * EARTH_RADIUS + 2 * MARGIN
    width = (max(lons) - min(lons)) * k * EARTH_RADIUS * math.cos(lat0 * k) + 2 * MARGIN
    graph = grid_network(
        int(height / SPACING) + 2, int(width / SPACING) + 2, spacing=SPACING, lon0=lon0, lat0=lat0, seed=context.seed
    )
    graph = within(graph, district.geometry)
    network_store(region=district, graph=graph, name="演示路网 (generated)", source="jishiyu.circles.demo")
    by_community: dict[int, list[tuple[float, float]]] = {}
    for community_id, lon, lat in points:
        by_community.setdefault(community_id, []).append((lon, lat))
    facilities = []
    for cat in Category.objects.filter(active=True):
        for community_id, spots in sorted(by_community.items()):
            # most communities have one or two of each; about one in four misses it (the gaps on the map)
            for _ in range(rng.choice([0, 1, 1, 2])):
                lon, lat = rng.choice(spots)
                facilities.append(
                    Facility(
                        category=cat,
                        region_id=community_id,
                        name=f"{cat.name}{rng.randint(1, 99)}号",
                        lon=lon + rng.uniform(-0.002, 0.002),
                        lat=lat + rng.uniform(-0.002, 0.002),
                        source=Facility.Source.DEMO,
                    )
                )
    _gone_from_source(facilities, context.rng("circles-gone"))
    Facility.objects.bulk_create(facilities, batch_size=2000)
    context.counts["circles.Facility"] += len(facilities)
    run = CoverageRun.objects.create(region=district)
    coverage_compute(run.pk)
    context.log(f"circles: network {graph.n} nodes, {len(facilities)} facilities, coverage run {run.status}")


def _gone_from_source(facilities: list[Facility], rng: Any) -> None:
    """In each community one facility of a category it has twice is switched off as a newer map extract would
    leave it (retired_at), so the community's staff find something to confirm (设施待核实)."""
    seen: dict[tuple[int, int], list[Facility]] = {}
    for facility in facilities:
        seen.setdefault((facility.region_id, facility.category_id), []).append(facility)
    now = timezone.now()
    done: set[int] = set()
    for (community_id, _category), pair in seen.items():
        if community_id in done or len(pair) < 2:
            continue
        pair[-1].active, pair[-1].retired_at = False, now - dt.timedelta(days=rng.randint(1, 20))
        done.add(community_id)


def within(graph: Any, outline: Any) -> Any:
    """The network cut to the district's outline: streets end at the district's edge, as on a real map."""
    ring = geometry.outer_ring(outline)
    if not ring:
        return graph
    inside = np.array([geometry.contains(ring, x, y) for x, y in zip(graph.lon, graph.lat, strict=True)])
    coo = graph.matrix.tocoo()
    keep = (coo.row < coo.col) & inside[coo.row] & inside[coo.col]
    if not keep.any():
        return graph
    used = np.unique(np.concatenate([coo.row[keep], coo.col[keep]]))
    return build_network(coo.row[keep], coo.col[keep], coo.data[keep], used, graph.lon[used], graph.lat[used])


def reset(context: Any) -> None:
    """Remove this module's demo rows before the core reset deletes the regions they point at."""
    from jishiyu.audit import registry

    with registry.suspended():
        BuildingCoverage.objects.all().delete()
        CoverageRun.objects.all().delete()
        Network.objects.all().delete()
        Facility.objects.all().delete()
