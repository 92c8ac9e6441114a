"""Reads of the inbox: always the actor's own messages only (站内消息)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from jishiyu.notifications.models import Notification, OutboxMessage
from jishiyu.notifications.permissions import OUTBOX_READ
from jishiyu.notifications.sms import OutboxSender, get_sender


def notification_list(*, actor: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """我的消息."""
    if actor is None or not actor.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(user_id=actor.pk)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(*, actor: Any) -> int:
    """未读消息数."""
    return notification_list(actor=actor, unread_only=True).count()


def outbox_enabled() -> bool:
    """The development outbox is shown only in DEBUG and only when it is the SMS sender in use."""
    return bool(settings.DEBUG) and isinstance(get_sender(), OutboxSender)


def outbox_may_read(*, actor: Any) -> bool:
    """The outbox holds sign-up and password-reset codes: whoever reads it can take over an account. Only the
    system admin reads it, on any setting, and only while it is the SMS sender in use."""
    return outbox_enabled() and bool(getattr(actor, "is_authenticated", False)) and actor.has_perm_anywhere(OUTBOX_READ)


def outbox_list() -> QuerySet[OutboxMessage]:
    """开发用短信发件箱."""
    return OutboxMessage.objects.all()
