"""Callbacks to a ticket's source (回调: 签收 / 退单 / 延期申请 / 回复 / 办结).

Each callback is a ``CallbackDelivery`` row written in the same transaction as the step it reports,
then sent after commit. The body is JSON ``{"external_id", "event", "at", "detail"}`` signed with
``X-Signature: sha256=<hex HMAC-SHA256 of the body with the source's secret>``. A failed send is
retried with exponential backoff: 1, 2, 4 … minutes, each wait capped at 24 hours, at most
``MAX_ATTEMPTS`` sends; staff see every undelivered callback on the failing-callbacks page and may
send one again by hand.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import DomainError, NotFound, PermissionDenied
from jishiyu.core.masking import scrub
from jishiyu.core.scope import subtree_q
from jishiyu.tickets.models import CallbackDelivery, Source, Ticket
from jishiyu.tickets.signals import ticket_changed

logger = logging.getLogger(__name__)

# The steps the city's platform is told about.
SIGNED_FOR, RETURNED, EXTENSION_REQUESTED, REPLIED, CLOSED = (
    "signed_for",
    "returned",
    "extension_requested",
    "replied",
    "closed",
)
CALLBACK_EVENTS = (SIGNED_FOR, RETURNED, EXTENSION_REQUESTED, REPLIED, CLOSED)

FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=24)
# 1+2+…+1024 minutes (about 34 hours), then four more at 24 hours: about five and a half days in all.
MAX_ATTEMPTS = 15
TIMEOUT_SECONDS = 10
# While one worker sends, the row is leased so the periodic task does not send it again at once.
LEASE = timedelta(minutes=2)

SIGNATURE_HEADER = "X-Signature"
PERMISSION = "tickets.configure"

UNKNOWN_EVENT = _("Unknown callback event.")
ALREADY_DELIVERED = _("This callback was already delivered.")


def body_bytes(payload: Mapping[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact UTF-8 JSON with sorted keys."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str).encode()


def sign(body: bytes, secret: str) -> str:
    """``sha256=<hex>``: the HMAC-SHA256 of the body with the source's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, header: str) -> bool:
    """Check a signature header in constant time (what the city's server does)."""
    return hmac.compare_digest(sign(body, secret), header or "")


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed send: 1 minute, doubling, at most 24 hours."""
    if attempts <= 0:
        return timedelta(0)
    exponent = min(attempts - 1, 20)  # 2**20 minutes is far above the cap already
    factor: int = 2**exponent
    return min(FIRST_DELAY * factor, MAX_DELAY)


def callback_enqueue(*, ticket: Ticket, event: str, detail: Mapping[str, Any] | None = None) -> CallbackDelivery | None:
    """排入回调: record a callback for a ticket that came from a source with a callback URL.

    Call inside the transaction of the step; the first send happens after commit. Tickets without a
    source, or whose source has no callback URL, get none (returns None)."""
    if event not in CALLBACK_EVENTS:
        raise DomainError(UNKNOWN_EVENT, field="event")
    source = ticket.source
    if source is None or not source.callback_url or not ticket.external_id:
        return None
    now = timezone.now()
    delivery = CallbackDelivery.objects.create(
        source=source,
        ticket=ticket,
        event=event,
        payload={
            "external_id": ticket.external_id,
            "event": event,
            "at": timezone.localtime(now).isoformat(),
            "detail": dict(detail or {}),
        },
        next_attempt_at=now,
    )
    delivery_id = delivery.pk
    transaction.on_commit(lambda: _enqueue(delivery_id))
    return delivery


def _enqueue(delivery_id: int) -> None:
    from jishiyu.tickets.tasks_hotline import callback_deliver_task  # the task module imports this one

    callback_deliver_task(delivery_id)


@dataclass
class SendResult:
    ok: bool
    error: str = ""


def send(url: str, body: bytes, signature: str) -> SendResult:
    """POST the body to the source's URL; any 2xx is a delivery. The one place that talks to the city."""
    if not url.startswith(("http://", "https://")):
        return SendResult(False, "not an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", SIGNATURE_HEADER: signature},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        return SendResult(False, f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return SendResult(False, scrub(str(reason))[:300])
    if 200 <= status < 300:
        return SendResult(True)
    return SendResult(False, f"HTTP {status}")


def _claim(delivery_id: int, now: datetime, *, force: bool) -> bool:
    """Take the row for one send (an atomic UPDATE, so two workers never send it at once)."""
    q = CallbackDelivery.objects.filter(pk=delivery_id, delivered_at__isnull=True)
    if not force:
        q = q.filter(next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS)
    return q.update(next_attempt_at=now + LEASE) == 1


def callback_deliver(delivery_id: int, *, force: bool = False) -> CallbackDelivery | None:
    """发送回调: one send of a due callback; on failure the next one is scheduled by backoff."""
    now = timezone.now()
    if not _claim(delivery_id, now, force=force):
        return None
    delivery = CallbackDelivery.objects.select_related("source").get(pk=delivery_id)
    source: Source = delivery.source
    body = body_bytes(delivery.payload)
    result = send(source.callback_url, body, sign(body, source._secret_plain()))
    delivery.attempts += 1
    done = timezone.now()
    if result.ok:
        delivery.delivered_at, delivery.last_error = done, ""
        delivery.next_attempt_at = done
    else:
        delivery.last_error = result.error or "error"
        delivery.next_attempt_at = done + backoff(delivery.attempts)
        logger.warning("callback %s to source %s failed: %s", delivery.pk, source.pk, delivery.last_error)
    delivery.save(update_fields=["attempts", "delivered_at", "last_error", "next_attempt_at"])
    return delivery


def callbacks_due(now: datetime | None = None) -> list[int]:
    """Ids of callbacks whose next send is due."""
    now = now or timezone.now()
    return list(
        CallbackDelivery.objects.filter(
            delivered_at__isnull=True, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS
        ).values_list("pk", flat=True)[:500]
    )


def callbacks_send_due() -> int:
    """发送到期回调 (the periodic task): send every due callback once; returns how many succeeded."""
    delivered = 0
    for delivery_id in callbacks_due():
        result = callback_deliver(delivery_id)
        if result is not None and result.delivered_at is not None:
            delivered += 1
    return delivered


def _visible_q(actor: Any) -> Q:
    # Sources are district-wide; the tickets behind the callbacks still limit what a staff member sees.
    return subtree_q("ticket__region_path", actor.region_paths_for(PERMISSION))


def callback_failing_list(*, actor: Any) -> QuerySet[CallbackDelivery]:
    """失败回调列表: undelivered callbacks that failed at least once, within the actor's scope."""
    if actor is None or not actor.is_authenticated or not actor.has_perm_anywhere(PERMISSION):
        raise PermissionDenied()
    return (
        CallbackDelivery.objects.filter(_visible_q(actor), delivered_at__isnull=True, attempts__gt=0)
        .select_related("source", "ticket")
        .order_by("next_attempt_at", "pk")
    )


def callback_retry(*, actor: Any, delivery_id: Any) -> CallbackDelivery:
    """立即重发回调: staff send a failing callback again now (counted as one more attempt)."""
    if actor is None or not actor.is_authenticated or not actor.has_perm_anywhere(PERMISSION):
        raise PermissionDenied()
    try:
        delivery = CallbackDelivery.objects.filter(_visible_q(actor)).get(pk=int(delivery_id))
    except (CallbackDelivery.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if delivery.delivered_at is not None:
        raise DomainError(ALREADY_DELIVERED)
    result = callback_deliver(delivery.pk, force=True)
    return result or delivery


def is_given_up(delivery: CallbackDelivery) -> bool:
    return delivery.delivered_at is None and delivery.attempts >= MAX_ATTEMPTS


# The lifecycle's actions that the city hears about, and the event name it hears.
ACTION_EVENTS = {
    "sign_for": SIGNED_FOR,
    "approve_return": RETURNED,
    "request_extension": EXTENSION_REQUESTED,
    # The city hears the reply once it passed the district's review (or at once where review is off).
    "approve_reply": REPLIED,
    "close": CLOSED,
}


@receiver(ticket_changed, dispatch_uid="tickets.callbacks.on_ticket_changed")
def on_ticket_changed(sender: Any, *, ticket: Ticket, action: str, event: Any, **kwargs: Any) -> None:
    """A step the source must hear about queues its callback, in the step's own transaction."""
    name = ACTION_EVENTS.get(action)
    if name is None:
        return
    detail: dict[str, Any] = {"status": ticket.status}
    note = getattr(event, "note", "") or ""
    if action == "approve_reply":
        detail["reply"] = ticket.reply  # the reviewer's own note stays inside the district
    elif note:
        detail["note"] = note
    if action == "request_extension":
        detail["days"] = (getattr(event, "detail", None) or {}).get("days")
    callback_enqueue(ticket=ticket, event=name, detail=detail)
