"""API schemas of the tickets app. The reporter travels only masked, and only to those allowed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema

from jishiyu.tickets import selectors
from jishiyu.tickets.escalation import escalations
from jishiyu.tickets.models import Ticket
from jishiyu.tickets.photos import photos_out


class RefOut(Schema):
    id: int
    name: str


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    name_en: str = ""
    domain: str
    parent_id: int | None = None
    version: str


class ReporterOut(Schema):
    name: str
    phone: str


class PhotoOut(Schema):
    """A ticket's photo; ``url`` (API, bearer token) and ``page_url`` (signed-in pages) check the ticket's scope."""

    id: int
    stage: str
    uploaded_at: datetime
    url: str
    page_url: str


class EscalationOut(Schema):
    """超期升级: one step up the levels (grid → community → street → district)."""

    level: int
    at: datetime
    to_region: RefOut | None = None


class TicketOut(Schema):
    """工单: the one shape of a ticket in the API, read from the model. What depends on who asks (the
    reporter, the steps the actor may take, the reporter's own view of the answer) is resolved from the
    request in the response's context."""

    id: int
    channel: str
    external_id: str
    kind: str
    kind_label: str
    category: CategoryOut | None = None
    content: str
    address: str
    lon: float | None = None
    lat: float | None = None
    status: str
    status_label: str
    urgency: str
    anonymous: bool
    confidential: bool
    place: RefOut | None = None
    queue_region: RefOut
    place_resolved: bool
    place_basis: str | None = None  # chosen, point, address, home (the reporter's community) or none
    handler_region: RefOut | None = None
    handler_org: RefOut | None = None
    received_at: datetime
    dispatched_at: datetime | None = None
    sign_for_due_at: datetime | None = None
    signed_for_at: datetime | None = None
    due_at: datetime | None = None
    deadline_provisional: bool
    replied_at: datetime | None = None
    closed_at: datetime | None = None
    reply: str
    supervised: bool
    duplicate_of_id: int | None = None
    reporter: ReporterOut | None = None
    actions: list[str] = []
    photos: list[PhotoOut] = []
    escalations: list[EscalationOut] = []

    @staticmethod
    def resolve_kind_label(obj: Ticket) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_place(obj: Ticket) -> Any:
        return obj.region

    @staticmethod
    def resolve_status_label(obj: Ticket, context: dict[str, Any]) -> str:
        answer = _reporters_answer(obj, context)
        return str(answer["status_label"] if answer else obj.get_status_display())

    @staticmethod
    def resolve_reply(obj: Ticket, context: dict[str, Any]) -> str:
        answer = _reporters_answer(obj, context)
        return str(answer["reply"]) if answer else obj.reply

    @staticmethod
    def resolve_replied_at(obj: Ticket, context: dict[str, Any]) -> datetime | None:
        answer = _reporters_answer(obj, context)
        return answer["replied_at"] if answer else obj.replied_at

    @staticmethod
    def resolve_reporter(obj: Ticket, context: dict[str, Any]) -> Any:
        return selectors.ticket_reporter(actor=context["request"].user, ticket=obj)

    @staticmethod
    def resolve_actions(obj: Ticket, context: dict[str, Any]) -> list[str]:
        return selectors.ticket_actions(actor=context["request"].user, ticket=obj)

    @staticmethod
    def resolve_photos(obj: Ticket) -> list[dict[str, Any]]:
        return photos_out(obj)

    @staticmethod
    def resolve_escalations(obj: Ticket) -> list[dict[str, Any]]:
        return escalations(obj)


def _reporters_answer(ticket: Ticket, context: dict[str, Any]) -> dict[str, Any] | None:
    """The reporter reads the reply once it is approved, and the status in plain words; staff read the
    ticket as it is. Worked out once per ticket and response."""
    memo: dict[int, dict[str, Any] | None] = context.setdefault("reporters_answer", {})
    if ticket.pk not in memo:
        actor = context["request"].user
        memo[ticket.pk] = (
            selectors.resident_ticket_view(ticket=ticket)
            if selectors.reporter_view(actor=actor, ticket=ticket)
            else None
        )
    return memo[ticket.pk]


class TicketListOut(Schema):
    id: int
    channel: str
    kind: str
    status: str
    urgency: str
    content: str
    category_id: int | None = None
    queue_region_id: int
    handler_region_id: int | None = None
    handler_org_id: int | None = None
    received_at: datetime
    due_at: datetime | None = None
    deadline_provisional: bool
    place_resolved: bool
    place_basis: str | None = None


class TicketCreateIn(Schema):
    kind: str
    content: str
    category: str | None = None
    address: str = ""
    lon: float | None = None
    lat: float | None = None
    anonymous: bool = False
    confidential: bool = False
    urgency: str = "normal"
    channel: str = "portal"


class TicketActionIn(Schema):
    note: str = ""
    reason: str = ""
    reply: str = ""
    handler: str = ""
    days: int | None = None
    solved: str = ""
    satisfied: str = ""
    into: int | None = None


class TicketBulkDispatchIn(Schema):
    ids: list[int]
    handler: str


class TicketBulkDispatchOut(Schema):
    dispatched: list[int]
    refused: dict[str, str]


class TicketRateIn(Schema):
    solved: str
    satisfied: str
    comment: str = ""


class TicketEventOut(Schema):
    id: int
    action: str
    from_status: str
    to_status: str
    at: datetime
    actor: str = ""
    note: str
    detail: dict[str, Any]


class FollowUpOut(Schema):
    id: int
    ticket_id: int
    solved: str
    satisfied: str
    answered_at: datetime
