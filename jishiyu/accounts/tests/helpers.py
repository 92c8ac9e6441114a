"""Helpers for the accounts tests: read the last SMS code from the development outbox."""

from __future__ import annotations

import re

from jishiyu.notifications.models import OutboxMessage


def last_code(phone: str) -> str:
    message = OutboxMessage.objects.filter(phone=phone).order_by("-created_at", "-id").first()
    assert message is not None, "no SMS in the outbox"
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match is not None, message.body
    return match.group(1)
