"""The 12345 exchange and other machine sources (12345 热线对接): source keys, idempotent intake, the city's events.

A source (the city's 12345 platform, an Open311 client) authenticates with a key the district admin
issues; only the key's SHA-256 is stored, and the callback secret is stored encrypted. A ticket pushed
twice with the same ``external_id`` by the same source is one ticket: the pair is unique in
``TicketExternalId``, so even two pushes racing each other create it once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jishiyu.core.crypto import encrypt_text
from jishiyu.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from jishiyu.core.scope import collapse_paths, subtree_q
from jishiyu.tickets import lookups
from jishiyu.tickets.models import Channel, Kind, Source, Ticket, TicketEvent, TicketExternalId, Urgency
from jishiyu.tickets.signals import ticket_created

PERMISSION = "tickets.configure"
KEY_PREFIX: dict[str, str] = {Channel.HOTLINE: "hl_", Channel.OPEN311: "o311_"}
SOURCE_CHANNELS = (Channel.HOTLINE, Channel.OPEN311)

KEY_MISSING = _("Send the source key in the X-Source-Key header.")
KEY_WRONG = _("This source key is not valid or has been revoked.")
NAME_REQUIRED = _("Enter the source's name.")
CHANNEL_INVALID = _("Choose the 12345 hotline or Open311.")
URL_INVALID = _("Enter an http:// or https:// address.")
KEY_TOO_SHORT = _("A key needs at least 16 characters.")
EXTERNAL_ID_REQUIRED = _("Enter the ticket's external id.")
DUE_BEFORE_RECEIVED = _("The due time lies before the time received.")
UNKNOWN_EVENT = _("Unknown event: use urge, supervise, follow_up, redo or recall.")
ANSWERS_REQUIRED = _("A follow-up needs the resident's answers: solved and satisfied.")

KIND_NAMES: dict[str, str] = {
    "咨询": Kind.ENQUIRY,
    "求助": Kind.HELP,
    "投诉": Kind.COMPLAINT,
    "举报": Kind.REPORT,
    "意见建议": Kind.SUGGESTION,
    "建议": Kind.SUGGESTION,
    "意见": Kind.SUGGESTION,
    "表扬": Kind.PRAISE,
    "其他": Kind.OTHER,
}
URGENCY_NAMES: dict[str, str] = {
    "一般": Urgency.NORMAL,
    "普通": Urgency.NORMAL,
    "紧急": Urgency.URGENT,
    "特急": Urgency.EMERGENCY,
    "特别紧急": Urgency.EMERGENCY,
}
EVENTS = ("urge", "supervise", "follow_up", "redo", "recall")
SOLVED_NAMES = {"解决": "yes", "已解决": "yes", "部分解决": "partly", "基本解决": "partly", "未解决": "no"}
SATISFIED_NAMES = {"满意": "yes", "基本满意": "basically", "不满意": "no"}


class SourceKeyMissing(DomainError):
    """No key sent: 401."""

    status = 401
    code = "unauthenticated"


# --- keys ---------------------------------------------------------------------------------------


def key_hash(key: str) -> str:
    """SHA-256 of a source key: keys are long random strings, so a plain digest is enough to look them up."""
    return hashlib.sha256(key.encode()).hexdigest()


def source_for_key(key: str | None, *, channel: str | None = None, missing: Any = KEY_MISSING) -> Source:
    """识别来源: the active source holding this key (401 without a key, 403 with a wrong one). ``missing`` says
    where the caller's protocol carries the key (the X-Source-Key header for 12345, api_key for Open311)."""
    if not key:
        raise SourceKeyMissing(missing)
    source = lookups.source_by_hash(key_hash(key.strip()))
    if source is None or (channel and source.channel != channel):
        raise PermissionDenied(KEY_WRONG)
    return source


@dataclass
class SourceCredentials:
    """A source and, once only, its key and callback secret in the clear."""

    source: Source
    key: str
    secret: str


def _require(actor: Any) -> list[str]:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied()
    paths: list[str] = actor.region_paths_for(PERMISSION)
    if not paths:
        raise PermissionDenied()
    return paths


def _check_source_fields(name: str, channel: str, callback_url: str) -> dict[str, Promise]:
    errors: dict[str, Promise] = {}
    if not name.strip():
        errors["name"] = NAME_REQUIRED
    if channel not in SOURCE_CHANNELS:
        errors["channel"] = CHANNEL_INVALID
    if callback_url and not callback_url.startswith(("http://", "https://")):
        errors["callback_url"] = URL_INVALID
    return errors


def _new_key(channel: str) -> str:
    return KEY_PREFIX.get(channel, "src_") + secrets.token_urlsafe(32)


def source_create(
    *,
    actor: Any,
    name: str,
    channel: str = Channel.HOTLINE,
    callback_url: str = "",
    key: str | None = None,
    secret: str | None = None,
) -> SourceCredentials:
    """新增来源: issue a key (and callback secret); the key is shown once and stored only as a hash."""
    paths = _require(actor)
    errors = _check_source_fields(name, channel, callback_url)
    if key is not None and len(key) < 16:
        errors["key"] = KEY_TOO_SHORT
    if errors:
        raise ValidationFailed(errors)
    from jishiyu.regions.models import Region

    key = key or _new_key(channel)
    secret = secret or secrets.token_urlsafe(32)
    top = Region.objects.filter(path=collapse_paths(paths)[0]).first()
    with transaction.atomic():
        source = Source.objects.create(
            name=name.strip(),
            channel=channel,
            key_hash=key_hash(key),
            key_hint="…" + key[-4:],
            secret_enc=encrypt_text(secret),
            callback_url=callback_url.strip(),
            region=top,
        )
    return SourceCredentials(source, key, secret)


def source_list(*, actor: Any) -> QuerySet[Source]:
    """来源列表: sources placed within the actor's configuration scope."""
    paths = _require(actor)
    return Source.objects.filter(subtree_q("region__path", paths)).select_related("region").order_by("name", "pk")


def source_get(*, actor: Any, source_id: Any) -> Source:
    try:
        return source_list(actor=actor).get(pk=int(source_id))
    except (Source.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def source_update(*, actor: Any, source_id: Any, name: str, callback_url: str, active: bool) -> Source:
    """修改来源: name, callback URL, active (the key stays)."""
    source = source_get(actor=actor, source_id=source_id)
    errors = _check_source_fields(name, source.channel, callback_url)
    if errors:
        raise ValidationFailed(errors)
    source.name, source.callback_url, source.active = name.strip(), callback_url.strip(), active
    source.save(update_fields=["name", "callback_url", "active"])
    return source


def source_rotate_keys(*, actor: Any, source_id: Any) -> SourceCredentials:
    """更换密钥: a new key and secret; the old key stops working at once."""
    source = source_get(actor=actor, source_id=source_id)
    key, secret = _new_key(source.channel), secrets.token_urlsafe(32)
    source.key_hash, source.key_hint, source.secret_enc = key_hash(key), "…" + key[-4:], encrypt_text(secret)
    source.save(update_fields=["key_hash", "key_hint", "secret_enc"])
    return SourceCredentials(source, key, secret)


# --- intake -------------------------------------------------------------------------------------


@dataclass
class Intake:
    """One request as a source delivers it (12345 push, spreadsheet row, Open311 POST)."""

    external_id: str
    content: str
    kind: str = Kind.ENQUIRY
    category: str = ""
    received_at: datetime | None = None
    caller_name: str = ""
    caller_phone: str = ""
    anonymous: bool = False
    confidential: bool = False
    address: str = ""
    lon: float | None = None
    lat: float | None = None
    urgency: str = Urgency.NORMAL
    due_at: datetime | None = None


def resolve_kind(value: str) -> str:
    """The hotline writes kinds in Chinese (投诉); the catalogue's own values pass through."""
    value = (value or "").strip()
    return KIND_NAMES.get(value, value)


def resolve_urgency(value: str) -> str:
    value = (value or "").strip()
    return URGENCY_NAMES.get(value, value) or Urgency.NORMAL


def _fields(source: Source, intake: Intake) -> dict[str, Any]:
    """The intake service's fields for a delivered request (checked there), after the source's own checks."""
    if source.channel == Channel.HOTLINE and not intake.external_id.strip():
        raise ValidationFailed({"external_id": EXTERNAL_ID_REQUIRED})
    if intake.due_at and intake.received_at and intake.due_at < intake.received_at:
        raise ValidationFailed({"due_at": DUE_BEFORE_RECEIVED})
    return {
        "channel": source.channel,
        "source": source,
        "external_id": intake.external_id.strip(),
        "received_at": intake.received_at or timezone.now(),
        "caller_name": intake.caller_name.strip(),
        "caller_phone": intake.caller_phone.strip(),
        "anonymous": intake.anonymous,
        "confidential": intake.confidential,
        "kind": resolve_kind(intake.kind),
        "category": intake.category.strip() or None,
        "content": intake.content,
        "address": intake.address.strip(),
        "lon": intake.lon,
        "lat": intake.lat,
        "urgency": resolve_urgency(intake.urgency),
        "due_at": intake.due_at,
    }


def ticket_receive(*, source: Source, intake: Intake) -> tuple[Ticket, bool]:
    """接收工单: (ticket, created). The same source delivering the same external id again gets the same
    ticket back and nothing is written (the intake service keeps the pair unique, races included);
    a request without an external id (Open311) is always new. Every field is checked by the intake service."""
    from jishiyu.tickets import services

    return services.ticket_create(actor=None, **_fields(source, intake))


def intake_validate(*, source: Source, intake: Intake) -> None:
    """Check a delivered request as ``ticket_receive`` does, writing nothing: ValidationFailed with every field's
    errors the intake service finds (a spreadsheet import reports them with the row's unreadable cells)."""
    from jishiyu.tickets import services

    services.ticket_prepare(actor=None, **_fields(source, intake))


@dataclass
class Received:
    """What became of one request of a batch: its new ticket, or ``known`` (delivered before), or its error."""

    ticket: Ticket | None = None
    known: bool = False
    error: Exception | None = None


def tickets_receive_bulk(*, source: Source, intakes: list[Intake]) -> list[Received]:
    """接收一批工单 (a chunk of a spreadsheet import), inside the caller's transaction: the same checks and
    the same rows as ``ticket_receive`` one by one, with one read of the external ids already delivered
    and one insert per table. A request delivered before (or earlier in the batch) is ``known`` and
    writes nothing. The analysis of the new tickets is queued once, after commit. Raises IntegrityError
    when another path delivered one of the ids meanwhile: the caller then goes one by one."""
    from jishiyu.tickets import analysis, services

    wanted = {i.external_id.strip() for i in intakes if i.external_id.strip()}
    delivered = set(
        TicketExternalId.objects.filter(source=source, external_id__in=wanted).values_list("external_id", flat=True)
    )
    results: list[Received] = []
    fresh: list[Ticket] = []
    for intake in intakes:
        external_id = intake.external_id.strip()
        if external_id and external_id in delivered:
            results.append(Received(known=True))
            continue
        try:
            ticket = services.ticket_prepare(actor=None, **_fields(source, intake))
        except DomainError as exc:
            results.append(Received(error=exc))
            continue
        if external_id:
            delivered.add(external_id)
        fresh.append(ticket)
        results.append(Received(ticket=ticket))
    if fresh:
        Ticket.objects.bulk_create(fresh)
        TicketExternalId.objects.bulk_create(
            [TicketExternalId(source=source, external_id=t.external_id, ticket=t) for t in fresh if t.external_id]
        )
        TicketEvent.objects.bulk_create([services.accept_event(t) for t in fresh])
        for ticket in fresh:
            ticket_created.send(sender=Ticket, ticket=ticket)
        analysis.analyse_after_commit([t.pk for t in fresh])
    return results


# --- the city's events ----------------------------------------------------------------------------


def _existing(source: Source, external_id: str) -> Ticket | None:
    link = TicketExternalId.objects.filter(source=source, external_id=external_id).select_related("ticket").first()
    return link.ticket if link else None


def source_ticket_get(*, source: Source, external_id: str) -> Ticket:
    """A ticket this source delivered (another source's tickets answer 404, like missing ones)."""
    found = _existing(source, external_id.strip())
    if found is None:
        raise NotFound()
    return found


def _answers(answers: dict[str, Any] | None) -> tuple[str, str, str]:
    """The resident's answers to the city's follow-up call; Chinese words (满意) are accepted too."""
    answers = answers or {}
    solved = str(answers.get("solved", "") or "").strip()
    satisfied = str(answers.get("satisfied", "") or "").strip()
    if not solved or not satisfied:
        raise ValidationFailed({"answers": ANSWERS_REQUIRED})
    return (
        SOLVED_NAMES.get(solved, solved),
        SATISFIED_NAMES.get(satisfied, satisfied),
        str(answers.get("comment", "") or "")[:2000],
    )


def ticket_source_event(
    *,
    source: Source,
    external_id: str,
    event: str,
    at: datetime | None = None,
    detail: str = "",
    answers: dict[str, Any] | None = None,
) -> Ticket:
    """来源事件: the city's urge / supervise / follow_up / redo / recall on one of its own tickets."""
    from jishiyu.tickets import services

    if event not in EVENTS:
        raise ValidationFailed({"event": UNKNOWN_EVENT})
    ticket = source_ticket_get(source=source, external_id=external_id)
    note = (detail or "").strip()
    if event == "follow_up":
        solved, satisfied, comment = _answers(answers)
        services.ticket_follow_up(
            actor=None,
            ticket=ticket,
            solved=solved,
            satisfied=satisfied,
            comment=comment or note,
            source=source,
            answered_at=at,
        )
    elif event == "urge":
        services.ticket_urge(actor=None, ticket=ticket, note=note, source=source)
    elif event == "supervise":
        services.ticket_supervise(actor=None, ticket=ticket, note=note, source=source)
    elif event == "redo":
        services.ticket_redo(actor=None, ticket=ticket, note=note, source=source)
    else:
        services.ticket_recall(actor=None, ticket=ticket, note=note, source=source)
    ticket.refresh_from_db()
    return ticket
