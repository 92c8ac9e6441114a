"""Writes to the region tree and the addresses under it. Paths are materialised from ids, so a node's
path is known only after its insert: ``region_create`` saves, then sets the path in the same transaction.

``actor`` is the signed-in user; ``None`` means the system itself (demo builder, management commands),
which passes the permission check but not the validation."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import Conflict, DomainError, ValidationFailed
from jishiyu.core.pinyin import pinyin_key
from jishiyu.core.scope import PATH_END, Actor
from jishiyu.regions import gazetteer
from jishiyu.regions.models import Building, Dwelling, Entrance, Region, RegionCode
from jishiyu.regions.permissions import CHANGE, building_policy, region_policy
from jishiyu.regions.signals import region_changed
from jishiyu.regions.validators import (
    area_clean,
    geometry_clean,
    nbs_code_error,
    other_code_error,
    point_clean,
)

# Which kinds may sit under which (区 → 街道/园区 → 社区 → 网格 | 小区).
ALLOWED_CHILDREN: dict[str, set[str]] = {
    Region.Kind.DISTRICT: {Region.Kind.STREET, Region.Kind.PARK},
    Region.Kind.STREET: {Region.Kind.COMMUNITY},
    Region.Kind.PARK: {Region.Kind.COMMUNITY},
    Region.Kind.COMMUNITY: {Region.Kind.GRID, Region.Kind.COMPOUND},
    Region.Kind.GRID: set(),
    Region.Kind.COMPOUND: set(),
}
ROOT_KINDS = {Region.Kind.DISTRICT}

KIND_NOT_ALLOWED = _("A %(kind)s cannot sit under a %(parent)s.")
ROOT_NOT_ALLOWED = _("Only a district can be a root of the tree.")
NAME_REQUIRED = _("Enter a name (at most 100 characters).")
NAME_TAKEN = _("Another place under the same parent already has this name.")
COMMUNITY_KIND_REQUIRED = _("Choose the community's kind: village, commercial housing or legacy industrial.")
COMMUNITY_KIND_ONLY = _("Only a community has a community kind.")
CODE_TAKEN = _("This code is already used by %(name)s.")
MOVE_INTO_ITSELF = _("A place cannot move under itself or one of its descendants.")
GRID_NOT_IN_COMMUNITY = _("The grid must be a grid of the building's community.")
COMPOUND_NOT_IN_COMMUNITY = _("The compound must be a compound of the building's community.")
NOT_A_COMMUNITY = _("Buildings belong to a community.")
NUMBER_REQUIRED = _("Enter a number (at most 20 characters).")
BUILDING_NUMBER_TAKEN = _("This building number is already used here.")
ENTRANCE_NUMBER_TAKEN = _("This entrance number is already used in the building.")
DWELLING_NUMBER_TAKEN = _("This dwelling number is already used in the entrance.")
ENTRANCE_NOT_IN_BUILDING = _("The entrance must belong to the dwelling's building.")

_UNSET: Any = object()


def _require_change(actor: Actor | None, region: Region) -> None:
    if actor is not None:
        region_policy.require(actor, CHANGE, region)


def _changed(instance: Any, action: str, changes: dict[str, tuple[Any, Any]] | None = None) -> None:
    """Drop this process's gazetteer now; tell the others and the listeners after commit."""
    gazetteer.invalidate(local_only=True)

    def send() -> None:
        gazetteer.invalidate()
        region_changed.send(sender=type(instance), instance=instance, action=action, changes=changes or {})

    transaction.on_commit(send)


def _path_for(parent: Region | None, pk: int) -> tuple[str, int]:
    if parent is None:
        return f"/{pk}/", 0
    return f"{parent.path}{pk}/", parent.depth + 1


def _check_name(name: str, parent: Region | None, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError(NAME_REQUIRED, field="name")
    siblings = Region.objects.filter(parent=parent, name=name)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude)
    if siblings.exists():
        raise DomainError(NAME_TAKEN, field="name")
    return name


def _check_kind(kind: str, parent: Region | None) -> None:
    if parent is None:
        if kind not in ROOT_KINDS:
            raise DomainError(ROOT_NOT_ALLOWED, field="parent")
    elif kind not in ALLOWED_CHILDREN.get(parent.kind, set()):
        kinds = dict(Region.Kind.choices)
        message = KIND_NOT_ALLOWED % {"kind": kinds.get(kind, kind), "parent": kinds.get(parent.kind, parent.kind)}
        raise DomainError(message, field="parent")


def _check_community_kind(kind: str, community_kind: str) -> None:
    if kind == Region.Kind.COMMUNITY:
        if community_kind not in Region.CommunityKind.values:
            raise DomainError(COMMUNITY_KIND_REQUIRED, field="community_kind")
    elif community_kind:
        raise DomainError(COMMUNITY_KIND_ONLY, field="community_kind")


def _check_codes(
    kind: str, community_kind: str, parent: Region | None, codes: Sequence[tuple[str, str]], exclude: int | None = None
) -> list[tuple[str, str]]:
    from jishiyu.regions.validators import CODE_UNKNOWN_SYSTEM

    parent_code = parent.division_code if parent is not None else ""
    cleaned: list[tuple[str, str]] = []
    for system, raw in codes:
        code = (raw or "").strip()
        if system not in RegionCode.System.values:
            raise DomainError(CODE_UNKNOWN_SYSTEM, field="codes")
        if system == RegionCode.System.NBS:
            error = nbs_code_error(kind, code, community_kind=community_kind, parent_code=parent_code)
        else:
            error = other_code_error(code)
        if error:
            raise DomainError(error, field="nbs_code" if system == RegionCode.System.NBS else "codes")
        taken = RegionCode.objects.filter(system=system, code=code).select_related("region")
        if exclude is not None:
            taken = taken.exclude(region_id=exclude)
        other = taken.first()
        if other is not None:
            raise Conflict(CODE_TAKEN % {"name": other.region.name})
        cleaned.append((system, code))
    return cleaned


def _place_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Geometry wins over a bare point: its centroid becomes the representative point."""
    if fields.get("geometry") is not None:
        geometry, lon, lat = geometry_clean(fields["geometry"])
        return {**fields, "geometry": geometry, "lon": lon, "lat": lat}
    if fields.get("lon") is not None or fields.get("lat") is not None:
        lon, lat = point_clean(fields.get("lon"), fields.get("lat"))
        return {**fields, "lon": lon, "lat": lat}
    return fields


@transaction.atomic
def region_create(
    *,
    kind: str,
    name: str,
    parent: Region | None = None,
    codes: Sequence[tuple[str, str]] = (),
    actor: Actor | None = None,
    **fields: Any,
) -> Region:
    """新建区划节点. ``codes`` is a sequence of (system, code)."""
    if parent is not None:
        _require_change(actor, parent)
    elif actor is not None:
        _require_change(actor, Region(path="/"))  # nobody holds a scope above the roots
    _check_kind(kind, parent)
    name = _check_name(name, parent)
    community_kind = fields.pop("community_kind", "") or ""
    _check_community_kind(kind, community_kind)
    cleaned_codes = _check_codes(kind, community_kind, parent, codes)
    fields = _place_fields(fields)
    region = Region(
        kind=kind,
        name=name,
        parent=parent,
        community_kind=community_kind,
        path=f"tmp-{id(object())}-{name}"[:255],
        **fields,
    )
    region.save()
    region.path, region.depth = _path_for(parent, region.pk)
    Region.objects.filter(pk=region.pk).update(path=region.path, depth=region.depth)
    RegionCode.objects.bulk_create([RegionCode(region=region, system=s, code=c) for s, c in cleaned_codes])
    _changed(region, "create")
    return region


@transaction.atomic
def region_bulk_create(parent: Region | None, nodes: Sequence[Region]) -> list[Region]:
    """Create many siblings under one parent (demo data, imports): two statements, not 2N. Trusted input."""
    for i, node in enumerate(nodes):
        node.parent = parent
        node.path = f"tmp-{parent.pk if parent else 0}-{i}-{id(node)}"
        node.name_pinyin = pinyin_key(node.name)  # bulk_create skips save(), which fills it
    created = Region.objects.bulk_create(list(nodes))
    if any(n.pk is None for n in created):  # backends without RETURNING: read the ids back
        by_tmp = dict(Region.objects.filter(path__in=[n.path for n in created]).values_list("path", "pk"))
        for n in created:
            n.pk = by_tmp[n.path]
    for n in created:
        n.path, n.depth = _path_for(parent, n.pk)
    Region.objects.bulk_update(created, ["path", "depth"])
    if created:
        _changed(created[0], "create")
    return created


def _move_subtree(region: Region, parent: Region) -> None:
    """Rewrite the paths of the whole subtree in one UPDATE over its index range."""
    old_prefix = region.path
    new_prefix = f"{parent.path}{region.pk}/"
    delta = parent.depth + 1 - region.depth
    Region.objects.filter(path__gte=old_prefix, path__lt=old_prefix + PATH_END).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + delta,
    )
    Region.objects.filter(pk=region.pk).update(parent=parent)
    region.parent, region.path, region.depth = parent, new_prefix, parent.depth + 1


@transaction.atomic
def region_update(
    *,
    actor: Actor | None,
    region: Region,
    name: str | None = None,
    parent: Region | None = _UNSET,
    community_kind: str | None = None,
    nbs_code: str | None = None,
    geometry: Any = _UNSET,
    households: Any = _UNSET,
) -> Region:
    """修改区划节点 (and move it when ``parent`` changes). Only the given fields change."""
    region = Region.objects.select_for_update().get(pk=region.pk)
    _require_change(actor, region)
    changes: dict[str, tuple[Any, Any]] = {}
    moving = parent is not _UNSET and parent is not None and parent.pk != region.parent_id
    if parent is not _UNSET and parent is None and region.parent_id is not None:
        raise DomainError(ROOT_NOT_ALLOWED, field="parent")
    new_parent = parent if moving else region.parent
    if moving:
        assert parent is not None
        _require_change(actor, parent)
        if parent.path.startswith(region.path):
            raise DomainError(MOVE_INTO_ITSELF, field="parent")
        _check_kind(region.kind, parent)
    if name is not None and name.strip() != region.name:
        changes["name"] = (region.name, _check_name(name, new_parent, exclude=region.pk))
    elif moving:
        _check_name(region.name, new_parent, exclude=region.pk)
    kind_after = community_kind if community_kind is not None else region.community_kind
    if community_kind is not None and community_kind != region.community_kind:
        _check_community_kind(region.kind, community_kind)
        changes["community_kind"] = (region.community_kind, community_kind)
    current_code = region.division_code
    code_after = nbs_code.strip() if nbs_code is not None else current_code
    if code_after and (moving or code_after != current_code or "community_kind" in changes):
        _check_codes(region.kind, kind_after, new_parent, [(RegionCode.System.NBS, code_after)], exclude=region.pk)
    if geometry is not _UNSET:
        if geometry is None:
            changes["geometry"] = (region.geometry, None)
        else:
            cleaned, lon, lat = geometry_clean(geometry)
            changes.update(geometry=(region.geometry, cleaned), lon=(region.lon, lon), lat=(region.lat, lat))
    if households is not _UNSET:
        if households is not None and (not isinstance(households, int) or households < 0):
            raise ValidationFailed({"households": [_("Enter a whole number of households, 0 or more.")]})
        changes["households"] = (region.households, households)
    if moving:
        assert parent is not None
        changes["parent"] = (region.parent_id, parent.pk)
        _move_subtree(region, parent)
    for field, (_before, after) in changes.items():
        if field != "parent":
            setattr(region, field, after)
    fields = [f for f in changes if f != "parent"]
    if fields:
        region.save(update_fields=fields)
    if nbs_code is not None and code_after != current_code:
        RegionCode.objects.filter(region=region, system=RegionCode.System.NBS).delete()
        if code_after:
            RegionCode.objects.create(region=region, system=RegionCode.System.NBS, code=code_after)
        changes["nbs_code"] = (current_code, code_after)
    if changes:
        _changed(region, "move" if moving else "update", changes)
    return region


def region_move(*, actor: Actor | None, region: Region, parent: Region, nbs_code: str | None = None) -> Region:
    """移动区划节点: the subtree's paths are rewritten in one statement."""
    return region_update(actor=actor, region=region, parent=parent, nbs_code=nbs_code)


# --- buildings, entrances, dwellings (楼栋、单元、户) ------------------------------------------------


def _number(value: Any, field: str = "number") -> str:
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 20:
        raise DomainError(NUMBER_REQUIRED, field=field)
    return text


def _check_grouping(community: Region, grid: Region | None, compound: Region | None) -> None:
    if community.kind != Region.Kind.COMMUNITY:
        raise DomainError(NOT_A_COMMUNITY, field="community")
    if grid is not None and (grid.kind != Region.Kind.GRID or grid.parent_id != community.pk):
        raise DomainError(GRID_NOT_IN_COMMUNITY, field="grid")
    if compound is not None and (compound.kind != Region.Kind.COMPOUND or compound.parent_id != community.pk):
        raise DomainError(COMPOUND_NOT_IN_COMMUNITY, field="compound")


@transaction.atomic
def building_create(
    *,
    actor: Actor | None,
    community: Region,
    number: Any,
    grid: Region | None = None,
    compound: Region | None = None,
    name: str = "",
    floors: int | None = None,
    lon: float | None = None,
    lat: float | None = None,
) -> Building:
    """新建楼栋: its grid and compound are children of its community; its region is the grid, else the community."""
    _require_change(actor, grid or community)
    _check_grouping(community, grid, compound)
    number = _number(number)
    if Building.objects.filter(community=community, compound=compound, number=number).exists():
        raise Conflict(BUILDING_NUMBER_TAKEN)
    place = _place_fields({"lon": lon, "lat": lat})
    building = Building.objects.create(
        community=community,
        grid=grid,
        compound=compound,
        region=grid or community,
        number=number,
        name=(name or "").strip()[:100],
        floors=floors,
        lon=place.get("lon"),
        lat=place.get("lat"),
    )
    _changed(building, "create")
    return building


@transaction.atomic
def building_update(
    *, actor: Actor | None, building: Building, grid: Region | None = _UNSET, compound: Region | None = _UNSET
) -> Building:
    """修改楼栋的网格/小区: its dwellings follow it into the new region."""
    building = Building.objects.select_for_update().select_related("region").get(pk=building.pk)
    if actor is not None:
        building_policy.require(actor, CHANGE, building)
    new_grid = building.grid if grid is _UNSET else grid
    new_compound = building.compound if compound is _UNSET else compound
    if new_grid is not None:
        _require_change(actor, new_grid)
    _check_grouping(building.community, new_grid, new_compound)
    building.grid, building.compound = new_grid, new_compound
    building.region = new_grid or building.community
    building.save(update_fields=["grid", "compound", "region"])
    Dwelling.objects.filter(building=building).update(region=building.region)
    _changed(building, "update")
    return building


@transaction.atomic
def entrance_create(*, actor: Actor | None, building: Building, number: Any) -> Entrance:
    """新建单元."""
    if actor is not None:
        building_policy.require(actor, CHANGE, building)
    number = _number(number)
    if Entrance.objects.filter(building=building, number=number).exists():
        raise Conflict(ENTRANCE_NUMBER_TAKEN)
    entrance = Entrance.objects.create(building=building, number=number)
    _changed(entrance, "create")
    return entrance


@transaction.atomic
def dwelling_create(
    *,
    actor: Actor | None,
    building: Building,
    number: Any,
    entrance: Entrance | None = None,
    floor: int | None = None,
    exclusive_area: Any = None,
    area_source: str = "",
    developer_held: bool = False,
) -> Dwelling:
    """新建户: its region is its building's; an area needs its source."""
    if actor is not None:
        building_policy.require(actor, CHANGE, building)
    number = _number(number)
    if entrance is not None and entrance.building_id != building.pk:
        raise DomainError(ENTRANCE_NOT_IN_BUILDING, field="entrance")
    _check_area_source(area_source)
    area = area_clean(exclusive_area, area_source)
    if Dwelling.objects.filter(building=building, entrance=entrance, number=number).exists():
        raise Conflict(DWELLING_NUMBER_TAKEN)
    dwelling = Dwelling.objects.create(
        building=building,
        entrance=entrance,
        region_id=building.region_id,
        number=number,
        floor=floor,
        exclusive_area=area,
        area_source=area_source if area is not None else "",
        developer_held=bool(developer_held),
    )
    _changed(dwelling, "create")
    return dwelling


def _check_area_source(source: str) -> None:
    if source and source not in Dwelling.AreaSource.values:
        raise DomainError(_("Not one of the allowed values."), field="area_source")


@transaction.atomic
def dwelling_update(
    *,
    actor: Actor | None,
    dwelling: Dwelling,
    exclusive_area: Any = _UNSET,
    area_source: str | None = None,
    developer_held: bool | None = None,
) -> Dwelling:
    """修改户的面积、来源、开发商持有."""
    dwelling = Dwelling.objects.select_for_update().select_related("region").get(pk=dwelling.pk)
    if actor is not None:
        from jishiyu.regions.permissions import dwelling_policy

        dwelling_policy.require(actor, CHANGE, dwelling)
    fields: list[str] = []
    source = dwelling.area_source if area_source is None else area_source
    _check_area_source(source)
    if exclusive_area is not _UNSET or area_source is not None:
        area = dwelling.exclusive_area if exclusive_area is _UNSET else exclusive_area
        cleaned: Decimal | None = area_clean(area, source)
        dwelling.exclusive_area, dwelling.area_source = cleaned, source if cleaned is not None else ""
        fields += ["exclusive_area", "area_source"]
    if developer_held is not None:
        dwelling.developer_held = bool(developer_held)
        fields.append("developer_held")
    if fields:
        dwelling.save(update_fields=fields)
        _changed(dwelling, "update")
    return dwelling
