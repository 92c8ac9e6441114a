"""Routing (分拨): who should handle a ticket, by the district's rules (派单规则).

The place comes first (jishiyu.tickets.places: the grid outline that holds the point, else the
gazetteer's reading of the address, else a street dispatcher's queue — the point test uses the
index of jishiyu.tickets.geo). Then the rules: category × place → grid / community / street /
department. The most specific rule wins: the exact category before its parent category before "any
category"; then the deepest place ("anywhere" last); then the higher priority; then the older rule.
No rule: the place's community (``DEFAULT_LEVEL``). An unresolved place gets no handler: it waits in
the street dispatcher's queue, who places and dispatches it by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import NotFound, ValidationFailed
from jishiyu.core.scope import path_in_scope, subtree_q
from jishiyu.organisations.models import Organisation
from jishiyu.regions.models import Region
from jishiyu.tickets import places
from jishiyu.tickets.models import Category, RoutingRule

STREET_KINDS = (Region.Kind.STREET, Region.Kind.PARK)


def ancestor_of_kind(region: Region, kinds: Sequence[str]) -> Region | None:
    """The region itself or its nearest ancestor of one of the kinds."""
    if region.kind in kinds:
        return region
    ids = region.ancestor_ids()
    found = {r.pk: r for r in Region.objects.filter(pk__in=ids, kind__in=kinds)}
    for pk in reversed(ids):
        if pk in found:
            return found[pk]
    return None


# --- handler rules ----------------------------------------------------------------------------


class Level:
    """Handler levels of a rule (派单层级)."""

    GRID = "grid"
    COMMUNITY = "community"
    STREET = "street"
    DEPARTMENT = "department"

    CHOICES = (
        (GRID, _("Grid")),
        (COMMUNITY, _("Community")),
        (STREET, _("Street")),
        (DEPARTMENT, _("Department")),
    )
    KINDS: dict[str, tuple[str, ...]] = {
        GRID: (Region.Kind.GRID,),
        COMMUNITY: (Region.Kind.COMMUNITY,),
        STREET: STREET_KINDS,
    }


LEVELS = tuple(code for code, _label in Level.CHOICES)
DEFAULT_LEVEL = Level.COMMUNITY
# The permission to edit the rules (the district's dispatch office).
RULES_PERMISSION = "tickets.configure"

UNKNOWN_LEVEL = _("Choose grid, community, street or department.")
DEPARTMENT_NEEDED = _("A department rule needs a department.")
UNKNOWN_DEPARTMENT = _("This department does not exist.")
UNKNOWN_CATEGORY = _("This category does not exist.")
UNKNOWN_PLACE = _("This place does not exist or is outside your area.")
HANDLER_OUTSIDE_PLACE = _("The handling region must contain the place or lie inside it.")


@dataclass
class Handler:
    """Who should handle a ticket: a region (grid, community, street) or a department; and the rule that said so."""

    level: str
    region: Region | None = None
    org: Organisation | None = None
    rule_id: int | None = None

    @property
    def key(self) -> str:
        """A stable label, also used by the learned suggestion: "org:12" or "region:7"."""
        if self.org is not None:
            return f"org:{self.org.pk}"
        return f"region:{self.region.pk}" if self.region is not None else ""

    @property
    def name(self) -> str:
        return str(self.org or self.region or "")


def category_chain(category: Category | None) -> list[int]:
    """The category and its ancestors, nearest first (cycle-safe)."""
    chain: list[int] = []
    node = category
    while node is not None and node.pk not in chain:
        chain.append(node.pk)
        node = node.parent
    return chain


def _specificity(rule: RoutingRule, chain: list[int], depths: dict[int, int]) -> tuple[int, int, int, int]:
    # Exact category (rank len) before its parent … before "any category" (0); then the deepest place.
    category_rank = len(chain) - chain.index(rule.category_id) if rule.category_id in chain else 0
    place_rank = depths.get(rule.region_id, -1) + 1 if rule.region_id else 0
    return (category_rank, place_rank, rule.priority, -rule.pk)


def rule_match(*, category: Category | None, place: Region | None) -> RoutingRule | None:
    """The most specific active rule for the category at the place (one query)."""
    chain = category_chain(category)
    region_ids = place.ancestor_ids() if place is not None else []
    qs = RoutingRule.objects.filter(active=True).filter(Q(category__isnull=True) | Q(category_id__in=chain))
    qs = qs.filter(Q(region__isnull=True) | Q(region_id__in=region_ids))
    rules = list(qs.select_related("region", "handler_region", "handler_org"))
    if not rules:
        return None
    depths = {r.region.pk: r.region.depth for r in rules if r.region is not None}
    return max(rules, key=lambda r: _specificity(r, chain, depths))


def handler_for(
    *, category: Category | None, place: Region | None, default_level: str = DEFAULT_LEVEL
) -> Handler | None:
    """派单建议 by rule: who handles this category at this place; None when the place is unknown and no
    rule names a department (the dispatcher decides)."""
    rule = rule_match(category=category, place=place)
    if rule is not None:
        if rule.handler_org is not None:
            return Handler(Level.DEPARTMENT, org=rule.handler_org, rule_id=rule.pk)
        if rule.handler_region is not None:
            return Handler(_level_of(rule.handler_region), region=rule.handler_region, rule_id=rule.pk)
        if place is not None and rule.handler_level in Level.KINDS:
            region = _region_at_level(place, rule.handler_level)
            if region is not None:
                return Handler(_level_of(region), region=region, rule_id=rule.pk)
    if place is None:
        return None
    region = _region_at_level(place, default_level)
    return Handler(_level_of(region), region=region) if region is not None else None


def _level_of(region: Region) -> str:
    for level, kinds in Level.KINDS.items():
        if region.kind in kinds:
            return level
    return Level.STREET


def _region_at_level(place: Region, level: str) -> Region | None:
    """The place's region at the level, else the nearest one above it (a place known only to its
    community goes to the community even when grids are asked for)."""
    order = [Level.GRID, Level.COMMUNITY, Level.STREET]
    start = order.index(level) if level in order else 1
    for candidate in order[start:]:
        found = ancestor_of_kind(place, Level.KINDS[candidate])
        if found is not None:
            return found
    return None


def route(
    *,
    category: Category | None,
    lon: float | None = None,
    lat: float | None = None,
    address: str = "",
    fallback: Region | None = None,
) -> tuple[places.Place, Handler | None]:
    """分拨: the place and, when the place is known, the handler the rules name."""
    place = places.place_resolve(lon=lon, lat=lat, address=address, fallback=fallback)
    if not place.resolved:
        return place, None
    return place, handler_for(category=category, place=place.region)


# --- rule editing (the district's page and API call these) ------------------------------------


def _rules_scope(actor: Any) -> list[str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    paths: list[str] = actor.region_paths_for(RULES_PERMISSION)
    return paths


def routing_rule_list(*, actor: Any) -> QuerySet[RoutingRule]:
    """派单规则列表: rules whose place lies in the actor's scope (district-wide rules for district holders)."""
    paths = _rules_scope(actor)
    qs = RoutingRule.objects.select_related("category", "region", "handler_region", "handler_org")
    if not paths:
        return qs.none()
    q = subtree_q("region__path", paths)
    roots = Region.objects.filter(path__in=paths, parent__isnull=True)
    if roots.exists():
        q |= Q(region__isnull=True)
    return qs.filter(q).order_by("category__code", "region__path", "-priority", "pk")


def routing_rule_get(*, actor: Any, rule_id: Any) -> RoutingRule:
    try:
        return routing_rule_list(actor=actor).get(pk=int(rule_id))
    except (RoutingRule.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def _clean_rule(actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    paths = _rules_scope(actor)
    errors: dict[str, Any] = {}
    cleaned: dict[str, Any] = {
        "priority": int(data.get("priority") or 0),
        "active": bool(data.get("active", True)),
    }
    category_id = data.get("category")
    cleaned["category"] = None
    if category_id not in (None, ""):
        cleaned["category"] = Category.objects.filter(pk=_int(category_id)).first()
        if cleaned["category"] is None:
            errors["category"] = UNKNOWN_CATEGORY
    region_id = data.get("region")
    cleaned["region"] = None
    if region_id not in (None, ""):
        region = Region.objects.filter(pk=_int(region_id)).first()
        if region is None or not path_in_scope(region.path, paths):
            errors["region"] = UNKNOWN_PLACE
        cleaned["region"] = region
    elif not Region.objects.filter(path__in=paths, parent__isnull=True).exists():
        errors["region"] = UNKNOWN_PLACE  # a district-wide rule needs the district's scope
    level = str(data.get("handler_level") or "")
    if level not in LEVELS:
        errors["handler_level"] = UNKNOWN_LEVEL
    cleaned["handler_level"] = level
    cleaned["handler_org"] = None
    cleaned["handler_region"] = None
    org_id = data.get("handler_org")
    if level == Level.DEPARTMENT:
        if org_id in (None, ""):
            errors["handler_org"] = DEPARTMENT_NEEDED
        else:
            org = Organisation.objects.filter(pk=_int(org_id), kind=Organisation.Kind.DEPARTMENT).first()
            if org is None:
                errors["handler_org"] = UNKNOWN_DEPARTMENT
            cleaned["handler_org"] = org
    handler_region_id = data.get("handler_region")
    if level in Level.KINDS and handler_region_id not in (None, ""):
        target = Region.objects.filter(pk=_int(handler_region_id), kind__in=Level.KINDS[level]).first()
        if target is None or not path_in_scope(target.path, paths):
            errors["handler_region"] = UNKNOWN_PLACE
        elif cleaned["region"] is not None and not (
            target.path.startswith(cleaned["region"].path) or cleaned["region"].path.startswith(target.path)
        ):
            errors["handler_region"] = HANDLER_OUTSIDE_PLACE
        cleaned["handler_region"] = target
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _require_rules(actor: Any) -> None:
    if not _rules_scope(actor):
        raise NotFound()


@transaction.atomic
def routing_rule_create(*, actor: Any, data: dict[str, Any]) -> RoutingRule:
    """新建派单规则."""
    _require_rules(actor)
    rule = RoutingRule(**_clean_rule(actor, data))
    rule.save()
    return rule


@transaction.atomic
def routing_rule_update(*, actor: Any, rule: RoutingRule, data: dict[str, Any]) -> RoutingRule:
    """修改派单规则."""
    rule = routing_rule_get(actor=actor, rule_id=rule.pk)
    cleaned = _clean_rule(actor, data)
    for name, value in cleaned.items():
        setattr(rule, name, value)
    rule.save(update_fields=list(cleaned))
    return rule


@transaction.atomic
def routing_rule_delete(*, actor: Any, rule: RoutingRule) -> None:
    """删除派单规则."""
    routing_rule_get(actor=actor, rule_id=rule.pk).delete()
