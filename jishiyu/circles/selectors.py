"""Reads of the circles app (幸福圈查询), scoped by region."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import numpy as np
from django.db.models import Q, Sum

from jishiyu.circles import conf
from jishiyu.circles.models import BuildingCoverage, Category, Circle, CoverageRun, Facility, Network
from jishiyu.circles.network import Network as Graph
from jishiyu.circles.network import build_network, greedy_sites
from jishiyu.circles.permissions import coverage_policy, facility_policy, run_policy
from jishiyu.core.errors import NotFound, ValidationFailed
from jishiyu.core.scope import path_in_scope
from jishiyu.people.models import Residence
from jishiyu.regions.models import Region


def network_graph(record: Network) -> Graph:
    """The stored network as a graph."""
    arrays = np.load(io.BytesIO(bytes(record.data)))
    n = len(arrays["ids"])
    return build_network(arrays["u"], arrays["v"], arrays["w"], np.arange(n), arrays["lon"], arrays["lat"])


def network_for(region: Region) -> Network | None:
    """The newest network whose region contains ``region`` (or lies inside it)."""
    candidates = Network.objects.select_related("region").order_by("-created_at", "-pk")
    for record in candidates:
        if region.path.startswith(record.region.path) or record.region.path.startswith(region.path):
            return record
    return None


def scoped_region(actor: Any, region_id: int | None, permission: str = "circles.view") -> Region:
    """The region asked for, or the actor's widest one; NotFound outside scope."""
    paths = actor.region_paths_for(permission) if actor and actor.is_authenticated else []
    if not paths:
        raise NotFound()
    if region_id is None:
        return Region.objects.filter(path__in=paths).order_by("depth").first() or _missing()
    region = Region.objects.filter(pk=region_id).first()
    if region is None or not path_in_scope(region.path, paths):
        raise NotFound()
    return region


def _missing() -> Region:
    raise NotFound()


def latest_run(region: Region) -> CoverageRun | None:
    """The newest finished run of the region or of a region containing it."""
    ancestors = [p for p in _ancestor_paths(region.path)]
    return (
        CoverageRun.objects.filter(region__path__in=ancestors, status=CoverageRun.Status.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )


def _ancestor_paths(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def facilities(actor: Any, region: Region | None = None) -> Any:
    qs = facility_policy.queryset(actor, "circles.view").select_related("category", "category__circle", "region")
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return qs


def circle_shares(actor: Any, region: Region) -> dict[str, Any]:
    """Share of residents covered per community, circle and category (覆盖率)."""
    run = latest_run(region)
    circles = list(Circle.objects.all())
    categories = list(Category.objects.filter(active=True).select_related("circle"))
    result: dict[str, Any] = {
        "run": run.pk if run else None,
        "finished_at": run.finished_at.isoformat() if run and run.finished_at else None,
        "circles": [{"code": c.code, "name": c.label, "metres": conf.distance_for(c.minutes)} for c in circles],
        "communities": [],
    }
    if run is None:
        return result
    qs = coverage_policy.queryset(actor, "circles.view").filter(run=run, building__region__path__startswith=region.path)
    rows = qs.values("building__community_id", "category_id", "covered").annotate(people=Sum("people"))
    totals: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for r in rows:
        cell = totals[r["building__community_id"]][r["category_id"]]
        cell[1] += r["people"]
        if r["covered"]:
            cell[0] += r["people"]
    names = dict(Region.objects.filter(pk__in=list(totals)).values_list("pk", "name"))
    for community_id, by_cat in sorted(totals.items(), key=lambda kv: names.get(kv[0], "")):
        people = max((v[1] for v in by_cat.values()), default=0)
        entry: dict[str, Any] = {
            "id": community_id,
            "name": names.get(community_id, ""),
            "people": people,
            "circles": {},
            "categories": {},
        }
        for circle in circles:
            cats = [c for c in categories if c.circle_id == circle.pk]
            covered = sum(by_cat[c.pk][0] for c in cats)
            total = sum(by_cat[c.pk][1] for c in cats)
            entry["circles"][circle.code] = round(covered / total, 4) if total else None
        for c in categories:
            cov, tot = by_cat[c.pk]
            entry["categories"][c.code] = round(cov / tot, 4) if tot else None
        result["communities"].append(entry)
    return result


def gaps(actor: Any, region: Region, circle_code: str | None = None) -> list[dict[str, Any]]:
    """Buildings with the categories they miss (覆盖缺口), for the map."""
    run = latest_run(region)
    if run is None:
        return []
    qs = coverage_policy.queryset(actor, "circles.view").filter(run=run, building__region__path__startswith=region.path)
    if circle_code:
        qs = qs.filter(category__circle__code=circle_code)
    out: dict[int, dict[str, Any]] = {}
    for row in qs.values(
        "building_id",
        "building__lon",
        "building__lat",
        "building__name",
        "building__number",
        "people",
        "category__code",
        "covered",
    ):
        b = out.setdefault(
            row["building_id"],
            {
                "id": row["building_id"],
                "lon": row["building__lon"],
                "lat": row["building__lat"],
                "label": row["building__name"] or row["building__number"],
                "people": row["people"],
                "missing": [],
                "categories": 0,
            },
        )
        b["categories"] += 1
        if not row["covered"]:
            b["missing"].append(row["category__code"])
    return list(out.values())


def sites(actor: Any, region: Region, category_code: str, k: int = 5) -> list[dict[str, Any]]:
    """Greedy maximal-coverage sites (建议选址) for a category in the region."""
    if not 1 <= k <= 20:
        raise ValidationFailed({"k": ["1–20"]})
    category = Category.objects.filter(code=category_code, active=True).select_related("circle").first()
    if category is None:
        raise ValidationFailed({"category": [category_code]})
    run = latest_run(region)
    record = network_for(region)
    if run is None or record is None:
        return []
    rows = list(
        coverage_policy.queryset(actor, "circles.view")
        .filter(run=run, category=category, building__region__path__startswith=region.path)
        .values_list("building__lon", "building__lat", "people", "covered")
    )
    if not rows:
        return []
    graph = network_graph(record)
    nodes, _ = graph.snap([float(r[0] or 0) for r in rows], [float(r[1] or 0) for r in rows])
    chosen = greedy_sites(
        graph,
        nodes,
        np.array([r[2] for r in rows]),
        np.array([r[3] for r in rows]),
        conf.distance_for(category.circle.minutes),
        k,
    )
    return [{"rank": i + 1, "lon": s.lon, "lat": s.lat, "gain": s.gain} for i, s in enumerate(chosen)]


def facilities_gone(actor: Any, region: Region | None = None) -> Any:
    """设施待核实: facilities a newer map extract no longer holds, switched off until staff confirm them
    (closed: keep off; still there: switch back on). Editing one clears the mark. ``region`` narrows it
    to a region the caller already took from ``scoped_region``."""
    qs = (
        facility_policy.queryset(actor, "circles.change")
        .filter(retired_at__isnull=False)
        .select_related("category", "category__circle", "region")
    )
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return qs


def runs(actor: Any, region: Region) -> Any:
    return run_policy.queryset(actor, "circles.view").filter(region__path__startswith=region.path)[:5]


def near_me(user: Any) -> dict[str, Any] | None:
    """For a resident: the nearest facility of each category from their home building, circle by circle."""
    residence = (
        Residence.objects.filter(person__user_id=user.pk)
        .select_related("dwelling__building")
        .order_by("-primary", "pk")
        .first()
    )
    if residence is None:
        return None
    building = residence.dwelling.building
    run = latest_run(building.region)
    found: dict[int, BuildingCoverage | None] = {}
    if run is not None:
        for row in BuildingCoverage.objects.filter(run=run, building=building):
            found[row.category_id] = row
    nearest = _nearest_facility(building)
    circles = []
    for circle in Circle.objects.prefetch_related("categories"):
        items = []
        for cat in circle.categories.all():
            if not cat.active:
                continue
            hit = found.get(cat.pk)
            items.append(
                {
                    "code": cat.code,
                    "name": cat.label,
                    "metres": hit.metres if hit else None,
                    "covered": bool(hit and hit.covered),
                    "facility": nearest.get(cat.pk),
                }
            )
        circles.append(
            {
                "code": circle.code,
                "name": circle.label,
                "metres": conf.distance_for(circle.minutes),
                "categories": items,
                "covered": sum(1 for i in items if i["covered"]),
                "total": len(items),
            }
        )
    return {"building": str(building.name or building.number), "computed": run is not None, "circles": circles}


def _nearest_facility(building: Any) -> dict[int, str]:
    """Name of the straight-line nearest facility of each category (for the label only)."""
    if building.lon is None:
        return {}
    best: dict[int, tuple[float, str]] = {}
    box = 0.02
    for f in Facility.objects.filter(
        Q(active=True),
        lon__range=(building.lon - box, building.lon + box),
        lat__range=(building.lat - box, building.lat + box),
    ).values("category_id", "name", "lon", "lat"):
        d = (f["lon"] - building.lon) ** 2 + (f["lat"] - building.lat) ** 2
        if f["category_id"] not in best or d < best[f["category_id"]][0]:
            best[f["category_id"]] = (d, f["name"])
    return {k: v[1] for k, v in best.items()}


def circle_totals(actor: Any, region: Region) -> dict[str, float | None]:
    """Share of residents covered per circle over the whole region (for the shared dashboard): people
    covered by each category of the circle, summed, over the people counted for those categories."""
    run = latest_run(region)
    if run is None:
        return {}
    rows = (
        coverage_policy.queryset(actor, "circles.view")
        .filter(run=run, building__region__path__startswith=region.path, category__active=True)
        .values("category__circle__code", "covered")
        .annotate(people=Sum("people"))
    )
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        cell = sums[r["category__circle__code"]]
        cell[1] += r["people"] or 0
        if r["covered"]:
            cell[0] += r["people"] or 0
    return {code: (round(cov / tot, 4) if tot else None) for code, (cov, tot) in sums.items()}
