"""Writes to the region tree. Paths are materialised from ids, so a node's path is known only
after its insert: ``region_create`` saves, then sets the path in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from jishiyu.regions.models import Region, RegionCode

# Which kinds may sit under which (区 → 街道/园区 → 社区 → 网格 | 小区).
ALLOWED_CHILDREN: dict[str, set[str]] = {
    Region.Kind.DISTRICT: {Region.Kind.STREET, Region.Kind.PARK},
    Region.Kind.STREET: {Region.Kind.COMMUNITY},
    Region.Kind.PARK: {Region.Kind.COMMUNITY},
    Region.Kind.COMMUNITY: {Region.Kind.GRID, Region.Kind.COMPOUND},
    Region.Kind.GRID: set(),
    Region.Kind.COMPOUND: set(),
}


def _path_for(parent: Region | None, pk: int) -> tuple[str, int]:
    if parent is None:
        return f"/{pk}/", 0
    return f"{parent.path}{pk}/", parent.depth + 1


@transaction.atomic
def region_create(
    *, kind: str, name: str, parent: Region | None = None, codes: Sequence[tuple[str, str]] = (), **fields: Any
) -> Region:
    """新建区划节点. ``codes`` is a sequence of (system, code)."""
    if parent is not None and kind not in ALLOWED_CHILDREN.get(parent.kind, set()):
        raise ValueError(f"a {kind} cannot sit under a {parent.kind}")
    region = Region(kind=kind, name=name, parent=parent, path=f"tmp-{id(object())}-{name}", **fields)
    region.save()
    region.path, region.depth = _path_for(parent, region.pk)
    Region.objects.filter(pk=region.pk).update(path=region.path, depth=region.depth)
    RegionCode.objects.bulk_create([RegionCode(region=region, system=system, code=code) for system, code in codes])
    return region


@transaction.atomic
def region_bulk_create(parent: Region | None, nodes: Sequence[Region]) -> list[Region]:
    """Create many siblings under one parent (demo data, imports): two statements, not 2N."""
    for i, node in enumerate(nodes):
        node.parent = parent
        node.path = f"tmp-{parent.pk if parent else 0}-{i}-{id(node)}"
    created = Region.objects.bulk_create(list(nodes))
    if any(n.pk is None for n in created):  # backends without RETURNING: read the ids back
        by_tmp = dict(Region.objects.filter(path__in=[n.path for n in created]).values_list("path", "pk"))
        for n in created:
            n.pk = by_tmp[n.path]
    for n in created:
        n.path, n.depth = _path_for(parent, n.pk)
    Region.objects.bulk_update(created, ["path", "depth"])
    return created
