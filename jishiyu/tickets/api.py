"""JSON API of the tickets app (mounted under /api/v1/tickets). Thin: parse, call a selector or a
service, answer. Out of scope answers 404 like a missing ticket."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.pagination import paginate

from jishiyu.core.api import PageNumberPagination
from jishiyu.core.errors import ValidationFailed
from jishiyu.tickets import selectors, services
from jishiyu.tickets.models import Channel, Ticket
from jishiyu.tickets.schemas import (
    CategoryOut,
    FollowUpOut,
    TicketActionIn,
    TicketBulkDispatchIn,
    TicketBulkDispatchOut,
    TicketCreateIn,
    TicketEventOut,
    TicketListOut,
    TicketOut,
    TicketRateIn,
)

router = Router(tags=["tickets"])

UNKNOWN_CHANNEL = _("Residents file through the portal; staff may choose “staff” or “grid”.")
UNKNOWN_QUEUE = _("Unknown queue.")


def _get(request: HttpRequest, ticket_id: int) -> Ticket:
    return selectors.ticket_get(actor=request.user, ticket_id=ticket_id)


@router.get("/", response=list[TicketListOut], summary="Tickets in a queue (工单队列)")
@paginate(PageNumberPagination)
def ticket_list(
    request: HttpRequest, queue: str = "all", status: str = "", kind: str = "", channel: str = "", q: str = ""
) -> Any:
    if queue not in selectors.QUEUES:
        raise ValidationFailed({"queue": [UNKNOWN_QUEUE]})
    filters = {"status": status, "kind": kind, "channel": channel, "q": q.strip()}
    return selectors.ticket_queue(actor=request.user, queue=queue, filters=filters)


def file_request(request: HttpRequest, payload: TicketCreateIn, photos: Sequence[UploadedFile] = ()) -> Status[Ticket]:
    """File a resident's, staff member's or grid worker's request (as JSON here, as a form with photos in
    ``api_photos``): the ticket and its photos are stored together or not at all."""
    if payload.channel not in (Channel.PORTAL, Channel.STAFF, Channel.GRID):
        raise ValidationFailed({"channel": [UNKNOWN_CHANNEL]})
    ticket, _created = services.ticket_create(
        actor=request.user,
        channel=payload.channel,
        kind=payload.kind,
        content=payload.content,
        category=payload.category,
        address=payload.address,
        lon=payload.lon,
        lat=payload.lat,
        anonymous=payload.anonymous,
        confidential=payload.confidential,
        urgency=payload.urgency,
        photos=photos,
    )
    return Status(201, ticket)


@router.post("/", response={201: TicketOut}, summary="File a request (提交诉求)")
def ticket_create(request: HttpRequest, payload: TicketCreateIn) -> Any:
    return file_request(request, payload)


@router.get("/mine", response=list[TicketListOut], summary="My requests (我的诉求)")
@paginate(PageNumberPagination)
def mine_list(request: HttpRequest) -> Any:
    return selectors.my_tickets(actor=request.user)


@router.get("/queues", response=dict[str, int], summary="How many tickets wait in each queue")
def queue_counts(request: HttpRequest) -> Any:
    return selectors.queue_counts(actor=request.user, cap=None)


@router.get("/categories", response=list[CategoryOut], summary="The category catalogue (事项分类)")
def category_list(request: HttpRequest) -> Any:
    return selectors.categories()


@router.get("/map", summary="Tickets with coordinates, as GeoJSON (地图)")
def ticket_map(request: HttpRequest, queue: str = "all") -> Any:
    if queue not in selectors.QUEUES:
        raise ValidationFailed({"queue": [UNKNOWN_QUEUE]})
    return selectors.ticket_map_features(actor=request.user, queue=queue)


@router.post("/bulk-dispatch", response=TicketBulkDispatchOut, summary="Dispatch several tickets (批量派单)")
def bulk_dispatch(request: HttpRequest, payload: TicketBulkDispatchIn) -> Any:
    handler = selectors.parse_handler(payload.handler)
    if not handler:
        raise ValidationFailed({"handler": [services.NO_HANDLER]})
    tickets, missing = selectors.tickets_to_dispatch(actor=request.user, ids=payload.ids)
    done, refused = services.ticket_bulk_dispatch(actor=request.user, tickets=tickets, **handler)
    refused.update({pk: str(selectors.NOT_WAITING) for pk in missing})
    return {"dispatched": [t.pk for t in done], "refused": {str(k): v for k, v in refused.items()}}


@router.get("/{int:ticket_id}", response=TicketOut, summary="One ticket (工单详情)")
def ticket_detail(request: HttpRequest, ticket_id: int) -> Any:
    return _get(request, ticket_id)


@router.get("/{int:ticket_id}/events", response=list[TicketEventOut], summary="The ticket's whole history")
def ticket_events(request: HttpRequest, ticket_id: int) -> Any:
    ticket = _get(request, ticket_id)
    if selectors.reporter_view(actor=request.user, ticket=ticket):
        # The resident's steps, as on their page: no internal notes, no staff names, no reply before review.
        return [
            {"id": e.pk, "action": e.action, "from_status": "", "to_status": "", "at": e.at, "note": "", "detail": {}}
            for e in selectors.resident_steps(ticket=ticket)
        ]
    return [
        {
            "id": e.pk,
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "at": e.at,
            "actor": e.actor_label,  # type: ignore[attr-defined]
            "note": e.note,
            "detail": e.detail,
        }
        for e in selectors.ticket_history(ticket=ticket, viewer=request.user)
    ]


@router.post("/{int:ticket_id}/actions/{action}", response=TicketOut, summary="Take a step (签收, 答复, 退单, …)")
def ticket_action(request: HttpRequest, ticket_id: int, action: str, payload: TicketActionIn) -> Any:
    ticket = _get(request, ticket_id)
    services.ticket_act(actor=request.user, ticket=ticket, action=action, data=payload.dict())
    return _get(request, ticket_id)


@router.post("/{int:ticket_id}/rate", response={201: FollowUpOut}, summary="Rate the answer (评价)")
def ticket_rate(request: HttpRequest, ticket_id: int, payload: TicketRateIn) -> Any:
    ticket = selectors.my_ticket_get(actor=request.user, ticket_id=ticket_id)
    follow_up = services.ticket_rate(
        actor=request.user, ticket=ticket, solved=payload.solved, satisfied=payload.satisfied, comment=payload.comment
    )
    return Status(201, follow_up)


# --- routing and figures (社区通看板, 派单规则) ---
from jishiyu.tickets.api_figures import figures_router, routing_router  # noqa: E402

router.add_router("/figures", figures_router)
router.add_router("/routing", routing_router)

# --- photos (工单照片) and the district's settings (事项分类, 办理时限, 节假日) ---
from jishiyu.tickets.api_photos import photos_router  # noqa: E402
from jishiyu.tickets.api_settings import settings_router  # noqa: E402

router.add_router("", photos_router)
router.add_router("/settings", settings_router)
