"""Reads of the region tree and the addresses under it, always through the scope policies."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from jishiyu.core.errors import NotFound
from jishiyu.core.scope import PATH_END, Actor, collapse_paths, path_in_scope, subtree_q
from jishiyu.regions import gazetteer
from jishiyu.regions.models import Building, Dwelling, Region
from jishiyu.regions.permissions import MAP, VIEW, building_policy, dwelling_policy, region_policy


def region_subtree(region: Region, *, include_self: bool = True) -> QuerySet[Region]:
    """The node and everything under it: one index range on ``path``."""
    qs = Region.objects.filter(path__gte=region.path, path__lt=region.path + PATH_END)
    return qs if include_self else qs.exclude(pk=region.pk)


def region_ancestors(region: Region) -> QuerySet[Region]:
    """From the root down to the node's parent."""
    return Region.objects.filter(pk__in=region.ancestor_ids()[:-1]).order_by("depth")


def _count(model: Any, field: str) -> Coalesce:
    sub = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def with_counts(qs: QuerySet[Region]) -> QuerySet[Region]:
    """Counts of children and of buildings (by the grouping the node is) without joining rows together."""
    return qs.annotate(
        children_count=_count(Region, "parent"),
        community_buildings_count=_count(Building, "community"),
        grid_buildings_count=_count(Building, "grid"),
        compound_buildings_count=_count(Building, "compound"),
    ).prefetch_related("codes")


def buildings_count(region: Any) -> int:
    kind = region.kind
    if kind == Region.Kind.COMMUNITY:
        return int(getattr(region, "community_buildings_count", 0))
    if kind == Region.Kind.GRID:
        return int(getattr(region, "grid_buildings_count", 0))
    if kind == Region.Kind.COMPOUND:
        return int(getattr(region, "compound_buildings_count", 0))
    return 0


def region_list(
    *, actor: Actor | None, parent_id: int | None = None, kind: str | None = None, q: str | None = None
) -> QuerySet[Region]:
    """区划列表: children of ``parent_id``, or the actor's scope roots; ``q`` searches the whole scope by name."""
    qs = region_policy.queryset(actor, VIEW)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    elif not q:
        roots = collapse_paths(actor.region_paths_for(VIEW)) if actor is not None and actor.is_authenticated else []
        qs = qs.filter(path__in=roots)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    # Level by level, each kind in pinyin order (安 before 北 before 张), not by code point or id.
    return with_counts(qs).order_by("depth", "kind", "name_pinyin", "name", "pk")


def region_get(*, actor: Actor | None, region_id: Any) -> Region:
    """区划详情, or NotFound when missing or outside scope."""
    try:
        return with_counts(region_policy.queryset(actor, VIEW)).get(pk=int(region_id))
    except (Region.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def region_path(*, actor: Actor | None, region: Region) -> list[dict[str, Any]]:
    """The ancestors' names down to the node (breadcrumb); ``in_scope`` says which the actor may open."""
    paths = actor.region_paths_for(VIEW) if actor is not None and actor.is_authenticated else []
    return [
        {"id": r.pk, "name": r.name, "kind": r.kind, "in_scope": path_in_scope(r.path, paths)}
        for r in region_ancestors(region).only("id", "name", "kind", "path")
    ]


def building_list(*, actor: Actor | None, region: Region) -> QuerySet[Building]:
    """楼栋列表 of a node: a compound's buildings, or those whose grid/community lies in the node's subtree."""
    qs = building_policy.queryset(actor, VIEW)
    if region.kind == Region.Kind.COMPOUND:
        qs = qs.filter(compound=region)
    else:
        qs = qs.filter(region__path__gte=region.path, region__path__lt=region.path + PATH_END)
    return (
        qs.select_related("community", "grid", "compound")
        .annotate(dwellings_count=Count("dwellings", distinct=True), entrances_count=Count("entrances", distinct=True))
        .order_by("compound__name", "number", "pk")
    )


def building_get(*, actor: Actor | None, building_id: Any) -> Building:
    """楼栋详情, or NotFound."""
    return building_policy.get(
        actor, VIEW, pk=building_id
    )  # select_related is not needed: pages read the number and counts


def dwelling_list(*, actor: Actor | None, building: Building) -> QuerySet[Dwelling]:
    """户列表 of a building."""
    return (
        dwelling_policy.queryset(actor, VIEW)
        .filter(building=building)
        .select_related("entrance", "building")
        .order_by("entrance__number", "floor", "number", "pk")
    )


def address_resolve(*, actor: Actor | None, address: str) -> gazetteer.Resolution:
    """地址解析 within the actor's scope: a place outside it resolves to nothing, like an unknown one."""
    result = gazetteer.resolve(address)
    if result.region is None:
        return result
    paths = actor.region_paths_for(VIEW) if actor is not None and actor.is_authenticated else []
    if path_in_scope(result.region.path, paths):
        return result
    if result.building_id is not None:
        # A grid worker sees a building of their grid even though its compound lies outside the grid.
        building = Building.objects.select_related("region").filter(pk=result.building_id).first()
        if building is not None and path_in_scope(building.region.path, paths):
            index = gazetteer.get_index()
            node = index.nodes.get(building.region_id)
            if node is not None:
                result.region = node
                return result
    return gazetteer.Resolution()


def region_features(regions: Any) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the nodes that have a geometry or a point (for the map)."""
    features = []
    for r in regions:
        geometry = r.geometry or (
            {"type": "Point", "coordinates": [r.lon, r.lat]} if r.lon is not None and r.lat is not None else None
        )
        if geometry:
            features.append(
                {"type": "Feature", "geometry": geometry, "properties": {"id": r.pk, "name": r.name, "kind": r.kind}}
            )
    return {"type": "FeatureCollection", "features": features}


def map_paths(actor: Actor | None) -> list[str]:
    """The region paths whose subtrees the actor's maps draw (地图范围): where they hold "regions.view", and
    for a resident ("regions.map", held at their home grid or compound) the community around their home."""
    if actor is None or not actor.is_authenticated:
        return []
    paths = list(actor.region_paths_for(VIEW))
    homes = actor.region_paths_for(MAP)
    if homes:
        for region in Region.objects.filter(path__in=homes).select_related("parent"):
            widen = region.kind in (Region.Kind.GRID, Region.Kind.COMPOUND) and region.parent is not None
            paths.append(region.parent.path if widen and region.parent else region.path)
    return collapse_paths(paths)


def map_region_list(paths: list[str]) -> QuerySet[Region]:
    """The regions inside the map scope ``paths`` (from :func:`map_paths`) — 地图上的区域."""
    return Region.objects.filter(subtree_q("path", paths)) if paths else Region.objects.none()


def map_building_list(paths: list[str]) -> QuerySet[Building]:
    """The buildings inside the map scope ``paths`` (from :func:`map_paths`) — 地图上的楼栋."""
    return Building.objects.filter(subtree_q("region__path", paths)) if paths else Building.objects.none()
