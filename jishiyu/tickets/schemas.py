"""API schemas of the tickets app. The reporter travels only masked, and only to those allowed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


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
    """工单."""

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
