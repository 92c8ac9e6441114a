"""JSON API of ticket figures and routing (mounted under /api/v1/tickets/figures and /api/v1/tickets/routing)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from jishiyu.core.api import PageNumberPagination
from jishiyu.tickets import duplicates, rates, routing
from jishiyu.tickets import figures as ticket_figures_mod
from jishiyu.tickets.analysis import suggestion_payload
from jishiyu.tickets.models import RoutingRule
from jishiyu.tickets.permissions import ticket_policy

figures_router = Router(tags=["tickets figures"])
routing_router = Router(tags=["tickets routing"])


class FigureTicketOut(Schema):
    id: int
    kind: str
    status: str
    received_at: Any
    dispatched_at: Any = None
    signed_for_at: Any = None
    url: str


class RoutingRuleIn(Schema):
    category: int | None = None
    region: int | None = None
    handler_level: str
    handler_region: int | None = None
    handler_org: int | None = None
    priority: int = 0
    active: bool = True


class RoutingRuleOut(Schema):
    id: int
    category: int | None
    category_name: str
    region: int | None
    region_name: str
    handler_level: str
    handler_region: int | None
    handler_org: int | None
    handler_name: str
    priority: int
    active: bool


def _rule_out(rule: RoutingRule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "category": rule.category_id,
        "category_name": str(rule.category or ""),
        "region": rule.region_id,
        "region_name": str(rule.region or ""),
        "handler_level": rule.handler_level,
        "handler_region": rule.handler_region_id,
        "handler_org": rule.handler_org_id,
        "handler_name": str(rule.handler_org or rule.handler_region or ""),
        "priority": rule.priority,
        "active": rule.active,
    }


@figures_router.get("", summary="Ticket figures (社区通看板)")
def figures(
    request: HttpRequest,
    region: int | None = None,
    start: str = "",
    end: str = "",
    handler_region: int | None = None,
    handler_org: int | None = None,
) -> dict[str, Any]:
    """Volumes by kind, category, channel and child region; the three rates (also per child region);
    overdue tickets; hot spots; the suggestion model's held-out accuracy. Scoped: a region outside the
    caller's scope answers 404. ``start``/``end`` are dates (inclusive); the default is the last 30 days."""
    actor = request.auth  # type: ignore[attr-defined]
    params = {
        "region": region,
        "start": start,
        "end": end,
        "handler_region": handler_region,
        "handler_org": handler_org,
    }
    filters = ticket_figures_mod.figures_filters(actor=actor, params=params)
    return ticket_figures_mod.figures_payload(ticket_figures_mod.ticket_figures(actor=actor, filters=filters))


@figures_router.get("/tickets", response=list[FigureTicketOut], summary="The tickets behind a rate (三率明细)")
@paginate(PageNumberPagination)
def figure_tickets(
    request: HttpRequest,
    rate: str,
    part: str,
    region: int | None = None,
    start: str = "",
    end: str = "",
    handler_region: int | None = None,
    handler_org: int | None = None,
) -> Any:
    """``rate`` response | resolution | satisfaction; ``part`` e.g. on_time, late, answered, yes, partly, no."""
    actor = request.auth  # type: ignore[attr-defined]
    params = {
        "region": region,
        "start": start,
        "end": end,
        "handler_region": handler_region,
        "handler_org": handler_org,
    }
    filters = ticket_figures_mod.figures_filters(actor=actor, params=params)
    qs = rates.rate_tickets(actor=actor, filters=filters, rate=rate, part=part).order_by("-received_at")
    return [
        {**t, "url": f"/tickets/{t['id']}/"}
        for t in qs.values("id", "kind", "status", "received_at", "dispatched_at", "signed_for_at")
    ]


@routing_router.get("/rules", response=list[RoutingRuleOut], summary="Routing rules (派单规则)")
def rule_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_rule_out(r) for r in routing.routing_rule_list(actor=request.auth)]  # type: ignore[attr-defined]


@routing_router.post("/rules", response={201: RoutingRuleOut}, summary="Add a routing rule")
def rule_create(request: HttpRequest, payload: RoutingRuleIn) -> Status[dict[str, Any]]:
    rule = routing.routing_rule_create(actor=request.auth, data=payload.dict())  # type: ignore[attr-defined]
    return Status(201, _rule_out(rule))


@routing_router.put("/rules/{rule_id}", response=RoutingRuleOut, summary="Change a routing rule")
def rule_update(request: HttpRequest, rule_id: int, payload: RoutingRuleIn) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    rule = routing.routing_rule_get(actor=actor, rule_id=rule_id)
    return _rule_out(routing.routing_rule_update(actor=actor, rule=rule, data=payload.dict()))


@routing_router.delete("/rules/{rule_id}", response={204: None}, summary="Delete a routing rule")
def rule_delete(request: HttpRequest, rule_id: int) -> Status[None]:
    actor = request.auth  # type: ignore[attr-defined]
    routing.routing_rule_delete(actor=actor, rule=routing.routing_rule_get(actor=actor, rule_id=rule_id))
    return Status(204, None)


@routing_router.get("/tickets/{ticket_id}/suggestion", summary="Suggested handler (派单建议)")
def ticket_suggestion(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    """What the rules say and what the learned model says (with its confidence and version); and the
    open tickets this one may repeat. For dispatchers of the ticket's queue."""
    ticket = ticket_policy.get(request.auth, "tickets.dispatch", pk=ticket_id)  # type: ignore[attr-defined]
    payload = suggestion_payload(ticket)
    payload["duplicates"] = [
        {"id": c.ticket.pk, "score": round(c.score, 1), "distance_m": None if c.distance is None else round(c.distance)}
        for c in duplicates.candidates(ticket)[:5]
    ]
    return payload
