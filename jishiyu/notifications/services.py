"""Notifications (消息): an in-app inbox for every user plus a pluggable channel (SMS by default)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jishiyu.core.errors import NotFound
from jishiyu.notifications.models import Notification
from jishiyu.notifications.sms import send_sms


def notification_send(*, user: Any, title: str, body: str = "", url: str = "", sms: bool = False) -> Notification:
    """发送站内消息 (and an SMS when asked and the user has a phone)."""
    note = Notification.objects.create(user=user, title=str(title)[:120], body=str(body), url=url)
    phone = str(getattr(user, "phone", "") or "")
    if sms and phone:
        send_sms(phone, f"{title} {body}".strip()[:300])
    return note


def notification_mark_read(*, actor: Any, notification_id: Any) -> Notification:
    """标记已读: only the actor's own message; another's answers NotFound."""
    try:
        note = Notification.objects.get(pk=notification_id, user_id=actor.pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return note


def notification_mark_all_read(*, actor: Any) -> int:
    """全部标记已读."""
    return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now())
