"""Notifications (消息): an in-app inbox for every user plus a pluggable channel (SMS by default)."""

from __future__ import annotations

from typing import Any

from jishiyu.notifications.models import Notification
from jishiyu.notifications.sms import send_sms


def notification_send(*, user: Any, title: str, body: str = "", url: str = "", sms: bool = False) -> Notification:
    """发送站内消息 (and an SMS when asked and the user has a phone)."""
    note = Notification.objects.create(user=user, title=str(title)[:120], body=str(body), url=url)
    phone = str(getattr(user, "phone", "") or "")
    if sms and phone:
        send_sms(phone, f"{title} {body}".strip()[:300])
    return note
