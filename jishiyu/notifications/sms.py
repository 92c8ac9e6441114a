"""The SMS sender is pluggable (settings.SMS_SENDER). The development default writes to the outbox
(shown on /inbox/outbox/ to the system admin, in DEBUG only) and logs only the masked number."""

from __future__ import annotations

import logging
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from jishiyu.core.masking import mask_phone

log = logging.getLogger(__name__)


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class OutboxSender:
    def send(self, phone: str, text: str) -> None:
        from jishiyu.notifications.models import OutboxMessage

        OutboxMessage.objects.create(phone=phone, body=text[:300])
        log.info("sms to %s queued in the development outbox", mask_phone(phone))


@cache
def get_sender() -> SmsSender:
    return import_string(settings.SMS_SENDER)()  # type: ignore[no-any-return]


def send_sms(phone: str, text: str) -> None:
    """发送短信."""
    get_sender().send(phone, text)
