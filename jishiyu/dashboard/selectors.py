"""Figures of the dashboard (数据看板), per child node of a region, in the actor's scope.

Every figure is one aggregate query grouped by child: a ``Case`` maps each record's region path to the
child whose subtree ([path, path + "~")) holds it, so the number of queries does not grow with the
number of children or records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from jishiyu.core.errors import NotFound
from jishiyu.core.scope import PATH_END, subtree_q
from jishiyu.people.models import PersonTag, Tag
from jishiyu.people.permissions import household_policy, person_policy
from jishiyu.regions.models import Dwelling, Region

# The permission that opens the dashboard: the figures are counts of people.
DASHBOARD_PERMISSION = "people.view"
# Nodes one can drill into (区 → 街道/园区 → 社区); a community's children are its grids.
DRILLABLE = (Region.Kind.DISTRICT, Region.Kind.STREET, Region.Kind.PARK, Region.Kind.COMMUNITY)
# Nodes a dashboard may show: the drillable ones and a grid, the whole scope of a grid worker.
NODE_KINDS = (*DRILLABLE, Region.Kind.GRID)
# Compounds overlap grids (a compound can span grids), so they are not summed beside them.
CHILD_KINDS = (Region.Kind.STREET, Region.Kind.PARK, Region.Kind.COMMUNITY, Region.Kind.GRID)


@dataclass
class FigureRow:
    region: Region
    residents: int = 0
    households: int = 0
    dwellings: int = 0
    verified_accounts: int = 0
    tags: dict[str, int] = field(default_factory=dict)
    drillable: bool = False


@dataclass
class Figures:
    region: Region
    ancestors: list[Region]
    rows: list[FigureRow]
    total: FigureRow
    tags: list[tuple[str, str]]  # (tag value, label) of the tags that occur, in Tag order


def _scope_paths(actor: Any) -> list[str]:
    if actor is None or not actor.is_authenticated:
        return []
    paths: list[str] = actor.region_paths_for(DASHBOARD_PERMISSION)
    return paths


def dashboard_roots(*, actor: Any) -> QuerySet[Region]:
    """看板入口: the highest nodes of the actor's dashboard scope."""
    paths = _scope_paths(actor)
    return Region.objects.filter(path__in=paths, kind__in=NODE_KINDS).order_by("depth", "path")


def dashboard_region_get(*, actor: Any, region_id: Any = None) -> Region:
    """看板节点: the chosen node if it lies in the actor's scope, else NotFound (404) — like a missing one.
    Without a choice, the actor's first scope root."""
    paths = _scope_paths(actor)
    if not paths:
        raise NotFound()
    qs = Region.objects.filter(subtree_q("path", paths), kind__in=NODE_KINDS)
    if region_id in (None, ""):
        region = qs.filter(path__in=paths).order_by("depth", "path").first()
    else:
        try:
            region = qs.filter(pk=int(region_id)).first()
        except (TypeError, ValueError):
            region = None
    if region is None:
        raise NotFound()
    return region


def _child_case(children: list[Region], field_name: str) -> Case:
    whens = [
        When(Q(**{f"{field_name}__gte": c.path, f"{field_name}__lt": c.path + PATH_END}), then=Value(c.pk))
        for c in children
    ]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def dashboard_figures(*, actor: Any, region: Region) -> Figures:
    """分级统计: residents, households, dwellings, people in difficulty by tag and verified accounts,
    per child of ``region`` (which the caller got from ``dashboard_region_get``)."""
    ancestors = list(Region.objects.filter(pk__in=region.ancestor_ids()[:-1]).order_by("depth"))
    children = list(Region.objects.filter(parent=region, kind__in=CHILD_KINDS).order_by("pk"))
    rows = {c.pk: FigureRow(region=c, drillable=c.kind in DRILLABLE) for c in children}
    total = FigureRow(region=region)
    in_node = {"__gte": region.path, "__lt": region.path + PATH_END}

    def node(field_name: str) -> dict[str, str]:
        return {f"{field_name}{op}": value for op, value in in_node.items()}

    people = person_policy.queryset(actor, DASHBOARD_PERMISSION).filter(**node("region__path"))
    for row in (
        people.annotate(child=_child_case(children, "region__path"))
        .values("child")
        .annotate(n=Count("pk"), verified=Count("pk", filter=Q(user__isnull=False, verified_at__isnull=False)))
        .order_by()
    ):
        for target in (rows.get(row["child"]), total):
            if target is not None:
                target.residents += row["n"]
                target.verified_accounts += row["verified"]

    households = household_policy.queryset(actor, DASHBOARD_PERMISSION).filter(**node("region__path"))
    for row in (
        households.annotate(child=_child_case(children, "region__path")).values("child").annotate(n=Count("pk"))
    ).order_by():
        for target in (rows.get(row["child"]), total):
            if target is not None:
                target.households += row["n"]

    # Dwellings carry no personal data; the node itself was checked against the scope above.
    dwellings = Dwelling.objects.filter(**node("region__path"))
    for row in (
        dwellings.annotate(child=_child_case(children, "region__path")).values("child").annotate(n=Count("pk"))
    ).order_by():
        for target in (rows.get(row["child"]), total):
            if target is not None:
                target.dwellings += row["n"]

    tags = PersonTag.objects.filter(person__in=people.values("pk"))
    seen: set[str] = set()
    for row in (
        tags.annotate(child=_child_case(children, "person__region__path"))
        .values("child", "tag")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    ):
        seen.add(row["tag"])
        for target in (rows.get(row["child"]), total):
            if target is not None:
                target.tags[row["tag"]] = target.tags.get(row["tag"], 0) + row["n"]

    tag_labels = [(str(value), str(label)) for value, label in Tag.choices if value in seen]
    return Figures(region=region, ancestors=ancestors, rows=list(rows.values()), total=total, tags=tag_labels)
