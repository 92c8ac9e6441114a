"""JSON API of the 12345 exchange (mounted under /api/v1/hotline): the city pushes tickets and events with
its source key; the district admin manages source keys and sees failing callbacks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import APIKeyHeader
from pydantic import BaseModel

from jishiyu.core.api import PageNumberPagination
from jishiyu.tickets import callbacks, hotline
from jishiyu.tickets.models import CallbackDelivery, Channel, Source, Ticket

router = Router(tags=["hotline"])


class SourceKeyAuth(APIKeyHeader):
    """``X-Source-Key``: 401 when missing, 403 when wrong (checked before the body is read)."""

    param_name = "X-Source-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Source:
        return hotline.source_for_key(key, channel=Channel.HOTLINE)


SOURCE_KEY = SourceKeyAuth()


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)  # the city's clock is Beijing time
    return value


# --- schemas --------------------------------------------------------------------------------------


# The push's own schemas are plain pydantic models: ninja's Schema wraps every value it validates for
# reading Django objects, which a JSON body does not need and which cost a tenth of a push.


class CallerIn(BaseModel):
    name: str = Field("", max_length=50)
    phone: str = Field("", max_length=30)


class HotlineTicketIn(BaseModel):
    """A ticket pushed by the 12345 platform."""

    external_id: str = Field(..., min_length=1, max_length=64)
    received_at: datetime
    caller: CallerIn | None = None
    anonymous: bool = False
    confidential: bool = False
    kind: str = Field(..., max_length=12)
    category: str = Field("", max_length=60)
    content: str = Field(..., min_length=1, max_length=4000)
    address: str = Field("", max_length=255)
    lon: float | None = None
    lat: float | None = None
    urgency: str = Field("normal", max_length=12)
    due_at: datetime | None = None


class HotlineTicketOut(BaseModel):
    id: int
    external_id: str
    status: str


class FollowUpAnswersIn(Schema):
    solved: str = Field(..., max_length=12)
    satisfied: str = Field(..., max_length=12)
    comment: str = Field("", max_length=2000)


class HotlineEventIn(Schema):
    """One of the city's own events on a ticket it delivered."""

    event: str = Field(..., max_length=16)
    at: datetime | None = None
    detail: str = Field("", max_length=2000)
    answers: FollowUpAnswersIn | None = None


class SourceIn(Schema):
    name: str = Field(..., max_length=100)
    channel: str = Field(Channel.HOTLINE, max_length=16)
    callback_url: str = Field("", max_length=200)


class SourceUpdateIn(Schema):
    name: str = Field(..., max_length=100)
    callback_url: str = Field("", max_length=200)
    active: bool = True


class SourceOut(Schema):
    id: int
    name: str
    channel: str
    key_hint: str
    callback_url: str
    active: bool
    created_at: datetime


class SourceCredentialsOut(Schema):
    """The key and secret in the clear: shown once, never again."""

    source: SourceOut
    key: str
    secret: str


class CallbackOut(Schema):
    id: int
    source: str
    ticket_id: int
    external_id: str
    event: str
    attempts: int
    next_attempt_at: datetime
    last_error: str
    given_up: bool

    @staticmethod
    def resolve_source(obj: CallbackDelivery) -> str:
        return obj.source.name

    @staticmethod
    def resolve_external_id(obj: CallbackDelivery) -> str:
        return str(obj.payload.get("external_id", ""))

    @staticmethod
    def resolve_given_up(obj: CallbackDelivery) -> bool:
        return callbacks.is_given_up(obj)


def _out(ticket: Ticket, external_id: str) -> dict[str, Any]:
    return {"id": ticket.pk, "external_id": external_id, "status": ticket.status}


# --- the city's side ------------------------------------------------------------------------------


@router.post(
    "/tickets",
    auth=SOURCE_KEY,
    response={200: HotlineTicketOut, 201: HotlineTicketOut},
    summary="Push a 12345 ticket (idempotent per external_id)",
)
def ticket_push(request: HttpRequest, payload: HotlineTicketIn) -> Status[dict[str, Any]]:
    source: Source = request.auth  # type: ignore[attr-defined]
    caller = payload.caller or CallerIn(name="", phone="")
    intake = hotline.Intake(
        external_id=payload.external_id,
        received_at=_aware(payload.received_at),
        caller_name=caller.name,
        caller_phone=caller.phone,
        anonymous=payload.anonymous,
        confidential=payload.confidential,
        kind=payload.kind,
        category=payload.category,
        content=payload.content,
        address=payload.address,
        lon=payload.lon,
        lat=payload.lat,
        urgency=payload.urgency,
        due_at=_aware(payload.due_at),
    )
    ticket, created = hotline.ticket_receive(source=source, intake=intake)
    return Status(201 if created else 200, _out(ticket, payload.external_id.strip()))


@router.post(
    "/tickets/{external_id}/events",
    auth=SOURCE_KEY,
    response=HotlineTicketOut,
    summary="The city's event on one of its tickets (urge, supervise, follow_up, redo, recall)",
)
def ticket_event(request: HttpRequest, external_id: str, payload: HotlineEventIn) -> dict[str, Any]:
    source: Source = request.auth  # type: ignore[attr-defined]
    ticket = hotline.ticket_source_event(
        source=source,
        external_id=external_id,
        event=payload.event,
        at=_aware(payload.at),
        detail=payload.detail,
        answers=payload.answers.dict() if payload.answers else None,
    )
    return _out(ticket, external_id)


# --- the district's side --------------------------------------------------------------------------


@router.get("/sources", response=list[SourceOut], summary="Sources (district admin)")
def source_list(request: HttpRequest) -> Any:
    return list(hotline.source_list(actor=request.user))


@router.post("/sources", response={201: SourceCredentialsOut}, summary="Create a source and issue its key")
def source_create(request: HttpRequest, payload: SourceIn) -> Status[dict[str, Any]]:
    creds = hotline.source_create(
        actor=request.user, name=payload.name, channel=payload.channel, callback_url=payload.callback_url
    )
    return Status(201, {"source": creds.source, "key": creds.key, "secret": creds.secret})


@router.put("/sources/{source_id}", response=SourceOut, summary="Change a source")
def source_update(request: HttpRequest, source_id: int, payload: SourceUpdateIn) -> Any:
    return hotline.source_update(
        actor=request.user,
        source_id=source_id,
        name=payload.name,
        callback_url=payload.callback_url,
        active=payload.active,
    )


@router.post("/sources/{source_id}/keys", response=SourceCredentialsOut, summary="Issue a new key and secret")
def source_rotate(request: HttpRequest, source_id: int) -> Any:
    creds = hotline.source_rotate_keys(actor=request.user, source_id=source_id)
    return {"source": creds.source, "key": creds.key, "secret": creds.secret}


@router.get("/callbacks/failing", response=list[CallbackOut], summary="Callbacks that keep failing")
@paginate(PageNumberPagination)
def callback_failing(request: HttpRequest) -> Any:
    return callbacks.callback_failing_list(actor=request.user)


@router.post("/callbacks/{delivery_id}/retry", response=CallbackOut, summary="Send a failing callback again now")
def callback_retry(request: HttpRequest, delivery_id: int) -> HttpResponse | Any:
    return callbacks.callback_retry(actor=request.user, delivery_id=delivery_id)
