"""Ticket figures for the dashboard (社区通看板): volumes by kind, category, channel and region, the three
rates, overdue tickets, hot spots and the suggestion model's accuracy — each one aggregate query over the
actor's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.dateparse import parse_date

from jishiyu.core.errors import NotFound, ValidationFailed
from jishiyu.core.scope import subtree_q
from jishiyu.organisations.models import Organisation
from jishiyu.regions.models import Region
from jishiyu.tickets import rates
from jishiyu.tickets.models import Channel, Kind, SuggestionModel, category_label
from jishiyu.tickets.rates import Rate

DRILLABLE = (Region.Kind.DISTRICT, Region.Kind.STREET, Region.Kind.PARK, Region.Kind.COMMUNITY)
CHILD_KINDS = (Region.Kind.STREET, Region.Kind.PARK, Region.Kind.COMMUNITY, Region.Kind.GRID)
HOTSPOT_CELL_DECIMALS = 3  # about 100 m
HOTSPOTS = 30
DEFAULT_DAYS = rates.DEFAULT_DAYS


@dataclass
class TicketFigures:
    region: Region
    filters: rates.Filters
    children: list[Region]
    volumes: dict[str, list[dict[str, Any]]]
    total: int
    overdue: int
    rates: dict[str, Rate]
    child_rates: dict[int, dict[str, Rate]]
    hotspots: list[dict[str, Any]]
    model: dict[str, Any] | None
    ancestors: list[Region] = field(default_factory=list)


def _date(value: Any, name: str, errors: dict[str, Any]) -> datetime | None:
    if value in (None, ""):
        return None
    day = parse_date(str(value)) if isinstance(value, str) else value
    if day is None:
        errors[name] = rates.BAD_DATE
        return None
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def figures_filters(*, actor: Any, params: Any) -> rates.Filters:
    """看板筛选: period (start, end inclusive days), region, handler region or department, checked against scope."""
    errors: dict[str, Any] = {}
    start = _date(params.get("start"), "start", errors)
    end = _date(params.get("end"), "end", errors)
    if errors:
        raise ValidationFailed(errors)
    if end is not None:
        end += timedelta(days=1)
    if start is None and end is None:
        start = rates.default_period().start
    region = figures_region_get(actor=actor, region_id=params.get("region"))
    handler_region = None
    if params.get("handler_region"):
        handler_region = _region_in_scope(actor, params.get("handler_region"), kinds=None)
    handler_org = None
    if params.get("handler_org"):
        handler_org = Organisation.objects.filter(pk=_int(params.get("handler_org"))).first()
        if handler_org is None:
            raise NotFound()
    return rates.Filters(rates.Period(start, end), region, handler_region, handler_org)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _paths(actor: Any) -> list[str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    paths: list[str] = actor.region_paths_for(rates.VIEW_PERMISSION)
    return paths


def _region_in_scope(actor: Any, region_id: Any, kinds: tuple[str, ...] | None = DRILLABLE) -> Region:
    paths = _paths(actor)
    if not paths:
        raise NotFound()
    qs = Region.objects.filter(subtree_q("path", paths))
    if kinds:
        qs = qs.filter(kind__in=kinds)
    region = qs.filter(pk=_int(region_id)).first()
    if region is None:
        raise NotFound()
    return region


def figures_region_get(*, actor: Any, region_id: Any = None) -> Region:
    """The chosen node if in the actor's ticket scope (else 404), by default the actor's first scope root."""
    if region_id not in (None, ""):
        return _region_in_scope(actor, region_id)
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotFound()
    # the actor's own scope roots, loaded with their role assignments: no query (it runs for every menu)
    roots: list[Region] = [r for r in actor.regions_for(rates.VIEW_PERMISSION) if r.kind in DRILLABLE]
    if not roots:
        raise NotFound()
    return min(roots, key=lambda r: (r.depth, r.path))


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices).get(value, value or "—"))


def ticket_figures(*, actor: Any, filters: rates.Filters) -> TicketFigures:
    """社区通看板 figures for the filters' region."""
    region = filters.region
    assert region is not None
    children = list(Region.objects.filter(parent=region, kind__in=CHILD_KINDS).order_by("path"))
    # The same received tickets and overdue count as the shared dashboard's card (rates.received_tickets).
    received = rates.received_tickets(actor=actor, filters=filters)
    handlers = (filters.handler_region, filters.handler_org)
    volumes: dict[str, list[dict[str, Any]]] = {}
    volumes["kind"] = [
        {"key": r["kind"], "label": _label(Kind.choices, r["kind"]), "count": r["n"]}
        for r in received.values("kind").annotate(n=Count("pk")).order_by("-n")
    ]
    volumes["channel"] = [
        {"key": r["channel"], "label": _label(Channel.choices, r["channel"]), "count": r["n"]}
        for r in received.values("channel").annotate(n=Count("pk")).order_by("-n")
    ]
    volumes["category"] = [
        {
            "key": r["category_id"],
            "label": category_label(r["category__name"], r["category__name_en"]) or "—",
            "count": r["n"],
        }
        for r in received.values("category_id", "category__name", "category__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n")[:20]
    ]
    by_child = (
        dict(
            received.annotate(child=rates.child_case(children))
            .values_list("child")
            .annotate(n=Count("pk"))
            .values_list("child", "n")
        )
        if children
        else {}
    )
    volumes["region"] = [{"key": c.pk, "label": c.name, "count": by_child.get(c.pk, 0)} for c in children]
    total = sum(v["count"] for v in volumes["kind"])
    overdue = rates.overdue_tickets(actor=actor, filters=rates.Filters(rates.Period(), region, *handlers)).count()
    hotspots = [
        {"lon": r["x"], "lat": r["y"], "count": r["n"]}
        for r in received.filter(lon__isnull=False, lat__isnull=False)
        .annotate(x=Round("lon", HOTSPOT_CELL_DECIMALS), y=Round("lat", HOTSPOT_CELL_DECIMALS))
        .values("x", "y")
        .annotate(n=Count("pk"))
        .order_by("-n")[:HOTSPOTS]
    ]
    model = (
        SuggestionModel.objects.filter(active=True)
        .order_by("-pk")
        .values("pk", "trained_at", "samples", "accuracy")
        .first()
    )
    return TicketFigures(
        region=region,
        filters=filters,
        children=children,
        volumes=volumes,
        total=total,
        overdue=overdue,
        rates=rates.rates(actor=actor, filters=filters),
        child_rates=rates.rates_by_child(actor=actor, filters=filters, children=children),
        hotspots=hotspots,
        model=dict(model) if model else None,
        ancestors=list(Region.objects.filter(pk__in=region.ancestor_ids()[:-1]).order_by("depth")),
    )


def figures_payload(f: TicketFigures) -> dict[str, Any]:
    """The figures as JSON (API and charts)."""
    return {
        "region": {"id": f.region.pk, "name": f.region.name},
        "period": {
            "start": f.filters.period.start.isoformat() if f.filters.period.start else None,
            "end": f.filters.period.end.isoformat() if f.filters.period.end else None,
        },
        "total": f.total,
        "overdue": f.overdue,
        "volumes": f.volumes,
        "rates": {k: r.as_json() for k, r in f.rates.items()},
        "children": [
            {
                "id": c.pk,
                "name": c.name,
                "drillable": c.kind in DRILLABLE,
                "rates": {k: r.as_json() for k, r in f.child_rates[c.pk].items()},
            }
            for c in f.children
        ],
        "hotspots": f.hotspots,
        "model": (
            {
                "version": f.model["pk"],
                "trained_at": f.model["trained_at"].isoformat(),
                "samples": f.model["samples"],
                "accuracy": f.model["accuracy"],
            }
            if f.model
            else None
        ),
    }
