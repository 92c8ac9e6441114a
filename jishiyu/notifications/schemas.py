"""API schemas of the notifications app."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema

from jishiyu.notifications.models import Notification


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None = None

    # in the language of the request (Accept-Language), as the inbox shows it
    @staticmethod
    def resolve_title(obj: Notification) -> str:
        return obj.shown_title

    @staticmethod
    def resolve_body(obj: Notification) -> str:
        return obj.shown_body
