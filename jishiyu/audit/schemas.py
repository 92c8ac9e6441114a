"""API schemas of the audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class AuditEntryFilterIn(Schema):
    actor: str = Field("", max_length=80, description="A user id, or part of the actor's name")
    action: str = Field("", max_length=16)
    object_type: str = Field("", max_length=80, description='e.g. "people.person"')
    object_id: str = Field("", max_length=40)
    date_from: date | None = None
    date_to: date | None = None
    reason: str = Field("", max_length=100, description="Text in the reason")


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    region_path: str
    changes: dict[str, Any]
    reason: str
    ip: str | None
    outcome: str
