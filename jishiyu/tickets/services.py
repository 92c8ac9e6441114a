"""Writes of the tickets app (工单服务): intake from every channel and every move of the lifecycle.

Every move goes through ``ticket_transition``: it checks the transition table, the actor's scope and
role, locks the ticket, writes the new state and one TicketEvent, notifies the reporter (and the
callers of merged duplicates) and sends ``ticket_changed`` for the 12345 callbacks."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jishiyu.core import rows
from jishiyu.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from jishiyu.core.scope import path_in_scope
from jishiyu.core.uploads import rename_photo, sniff_image_type
from jishiyu.notifications.services import notification_send
from jishiyu.organisations.models import Organisation
from jishiyu.people.validation import normalise_phone, protect_phone
from jishiyu.regions.models import Region
from jishiyu.tickets import analysis, deadlines, lookups
from jishiyu.tickets.models import (
    FINAL_STATUSES,
    Category,
    Channel,
    FollowUp,
    Kind,
    Source,
    Status,
    Ticket,
    TicketEvent,
    TicketExternalId,
    TicketPhoto,
    Urgency,
)
from jishiyu.tickets.permissions import may_handle, ticket_policy
from jishiyu.tickets.places import OUTSIDE_DISTRICT, outside_district, place_resolve
from jishiyu.tickets.selectors import parse_handler, reply_visible
from jishiyu.tickets.signals import ticket_changed, ticket_created
from jishiyu.tickets.transitions import TRANSITIONS, target_status, transition_for

MAX_CONTENT = 5000
MAX_PHOTOS = 9
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "image/gif")

EMPTY_CONTENT = _("Describe the matter: the text may not be empty.")
CONTENT_TOO_LONG = _("The text is too long: at most %(max)d characters.")
UNKNOWN_CATEGORY = _("Unknown category.")
UNKNOWN_KIND = _("Choose one of the kinds: enquiry, help, complaint, report, suggestion, praise.")
UNKNOWN_URGENCY = _("Unknown urgency.")
BAD_LONGITUDE = _("Longitude must be a number between -180 and 180.")
BAD_LATITUDE = _("Latitude must be a number between -90 and 90.")
PHOTO_TOO_BIG = _("The photo “%(name)s” is larger than %(max)d MB.")
PHOTO_NOT_IMAGE = _("The file “%(name)s” is not a photo (JPEG, PNG, WebP, HEIC or GIF).")
TOO_MANY_PHOTOS = _("At most %(max)d photos.")
BAD_PHONE = _("Enter a phone number of 7 to 12 digits.")
REASON_REQUIRED = _("Give a reason.")
REPLY_REQUIRED = _("Write the reply.")
RETURN_WINDOW_PASSED = _("The time to return this ticket has passed: it was signed for more than %(hours)d hours ago.")
NO_HANDLER = _("Choose a handling region or a department.")
ONE_HANDLER = _("Choose either a handling region or a department, not both.")
HANDLER_OUT_OF_SCOPE = _("This handling region is outside the area you dispatch for.")
NOT_HANDLER = _("Only the ticket's handler may do this.")
NOT_RATABLE = _("This request cannot be rated now: wait for the reply.")
BAD_SOLVED = _("Answer whether it was solved: yes, partly or no.")
BAD_SATISFIED = _("Answer whether you are satisfied: yes, basically or no.")
EXTENSION_DAYS = (1, 30)  # the fewest and most working days a handler may ask for at once
BAD_EXTENSION = _("Ask for 1 to 30 more working days.")
MERGE_SELF = _("A ticket cannot be merged into itself.")
MERGE_TARGET_CLOSED = _("Merge into a ticket that is still open.")


KINDS, URGENCIES = frozenset(Kind.values), frozenset(Urgency.values)  # .values builds a new list each call


def photo_max_bytes() -> int:
    return int(getattr(settings, "TICKETS_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


# --- intake ------------------------------------------------------------------------------------------


def _category(value: Any, errors: dict[str, list[Any]]) -> Category | None:
    if value in (None, ""):
        return None
    if isinstance(value, Category):
        return value
    found = lookups.category_find(value)
    if found is None:
        errors.setdefault("category", []).append(UNKNOWN_CATEGORY)
    return found


def _phone(value: str, errors: dict[str, list[Any]], field: str = "caller_phone") -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) == 11 and value.isascii() and value.isdigit() and value[0] == "1":
        return value  # a bare 11-digit number: both branches below would keep it as it is
    try:
        return normalise_phone(value, field=field)
    except DomainError:
        digits = re.sub(r"[\s\-()（）]", "", value)
        if re.fullmatch(r"\d{7,12}", digits):
            return digits
        errors.setdefault(field, []).append(BAD_PHONE)
        return ""


def photos_validate(photos: Sequence[UploadedFile], errors: dict[str, list[Any]], field: str = "photos") -> None:
    """Size, type (read from the content) and number of photos; errors go under ``field``."""
    limit = photo_max_bytes()
    if len(photos) > MAX_PHOTOS:
        errors.setdefault(field, []).append(TOO_MANY_PHOTOS % {"max": MAX_PHOTOS})
    for photo in photos:
        name = getattr(photo, "name", "") or ""
        if (photo.size or 0) > limit:
            errors.setdefault(field, []).append(PHOTO_TOO_BIG % {"name": name, "max": limit // (1024 * 1024)})
        # By content, not by name or declared type: a renamed document is not a photo.
        if sniff_image_type(photo) not in PHOTO_TYPES:
            errors.setdefault(field, []).append(PHOTO_NOT_IMAGE % {"name": name})


def _event(
    ticket: Ticket,
    action: str,
    *,
    actor: Any = None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=from_status,
        to_status=to_status,
        note=note,
        detail=detail or {},
        at=at or timezone.now(),
    )


def ticket_prepare(
    *,
    actor: Any,
    channel: str,
    kind: str,
    content: str,
    category: Any = None,
    address: str = "",
    lon: float | None = None,
    lat: float | None = None,
    region: Region | None = None,
    photos: Sequence[UploadedFile] = (),
    anonymous: bool = False,
    confidential: bool = False,
    urgency: str = Urgency.NORMAL,
    caller_name: str = "",
    caller_phone: str = "",
    source: Source | None = None,
    external_id: str = "",
    received_at: dt.datetime | None = None,
    due_at: dt.datetime | None = None,
    subject_org: Organisation | None = None,
    fallback_region: Region | None = None,
) -> Ticket:
    """Check a request and build its ticket, placed and with its deadline, not saved yet (ValidationFailed
    with every field's errors; PermissionDenied for a field report without the right)."""
    if channel in (Channel.GRID, Channel.STAFF) and not (actor and actor.has_perm_anywhere("tickets.report")):
        raise PermissionDenied()
    errors: dict[str, list[Any]] = {}
    content = (content or "").strip()
    if not content:
        errors.setdefault("content", []).append(EMPTY_CONTENT)
    elif len(content) > MAX_CONTENT:
        errors.setdefault("content", []).append(CONTENT_TOO_LONG % {"max": MAX_CONTENT})
    if kind not in KINDS:
        errors.setdefault("kind", []).append(UNKNOWN_KIND)
    if urgency not in URGENCIES:
        errors.setdefault("urgency", []).append(UNKNOWN_URGENCY)
    cat = _category(category, errors)
    if lon is not None or lat is not None:
        if lon is None or not -180 <= lon <= 180:
            errors.setdefault("lon", []).append(BAD_LONGITUDE)
        if lat is None or not -90 <= lat <= 90:
            errors.setdefault("lat", []).append(BAD_LATITUDE)
        if "lon" in errors or "lat" in errors:
            pass
        elif outside_district(lon, lat):  # type: ignore[arg-type]
            errors.setdefault("lon", []).append(OUTSIDE_DISTRICT)
    phone = _phone(caller_phone, errors)
    photos_validate(photos, errors)
    if errors:
        raise ValidationFailed(errors)

    reporter = actor if getattr(actor, "is_authenticated", False) else None
    if reporter is not None and not caller_name and channel == Channel.PORTAL:
        caller_name = getattr(reporter, "name", "")
    if reporter is not None and not phone and channel == Channel.PORTAL:
        phone = str(getattr(reporter, "phone", "") or "")
    place = place_resolve(
        lon=lon, lat=lat, address=address or "", region=region, fallback=fallback_region or _home_region(reporter)
    )
    protected = protect_phone(phone)
    received = received_at or timezone.now()
    ticket = Ticket(
        channel=channel,
        source=source,
        external_id=external_id,
        kind=kind,
        category=cat,
        content=content,
        address=(address or "").strip()[:255],
        lon=lon,
        lat=lat,
        region=place.region,
        queue_region=place.queue_region,
        region_path=place.queue_region.path,
        place_resolved=place.resolved,
        place_basis=place.basis,
        reporter=reporter if channel in (Channel.PORTAL, Channel.GRID, Channel.STAFF) else None,
        caller_name="" if anonymous else caller_name[:50],
        caller_phone_enc="" if anonymous else protected.enc,
        caller_phone_hash="" if anonymous else protected.hash,
        caller_phone_masked="" if anonymous else protected.masked,
        anonymous=anonymous,
        confidential=confidential,
        urgency=urgency,
        subject_org=subject_org,
        received_at=received,
    )
    if due_at is not None:
        ticket.due_at = due_at
    else:
        deadline = deadlines.due_for(ticket, received)
        ticket.due_at, ticket.deadline_provisional = deadline.at, deadline.provisional
    return ticket


def accept_event(ticket: Ticket) -> TicketEvent:
    """The first step of a ticket's history (受理), not saved yet."""
    return TicketEvent(
        ticket=ticket,
        action="accept",
        actor=ticket.reporter,
        to_status=Status.ACCEPTED,
        detail={
            "channel": ticket.channel,
            "place_resolved": ticket.place_resolved,
            "place_basis": ticket.place_basis,
            "queue": ticket.queue_region.name,
        },
        at=ticket.received_at,
    )


def ticket_create(*, actor: Any, photos: Sequence[UploadedFile] = (), **fields: Any) -> tuple[Ticket, bool]:
    """受理: take a request from any channel (the fields of ``ticket_prepare``). Returns (ticket, created);
    the same (source, external id) delivered again gives the first ticket back, unchanged.

    Only what the answer needs happens here, all or nothing: the ticket, its external id, its photos and
    its first event (``rows.insert_with``: one statement on PostgreSQL when there are no photos). The
    analysis (words, routing suggestion, duplicate check) follows after commit in the background
    (``jishiyu.tickets.analysis``)."""
    source: Source | None = fields.get("source")
    external_id: str = fields.get("external_id", "")
    # A re-delivery is rare: instead of reading before every push, the unique (source, external id) pair
    # refuses the second insert and the first ticket is read then (or when the repeat no longer validates).
    try:
        ticket = ticket_prepare(actor=actor, photos=photos, **fields)
    except ValidationFailed:
        known = _delivered(source, external_id) if source is not None and external_id else None
        if known is not None:
            return known, False
        raise
    rows_with: list[tuple[Any, str]] = [(accept_event(ticket), "ticket")]
    if source is not None and external_id:
        rows_with.append((TicketExternalId(source=source, external_id=external_id), "ticket"))
    try:
        # Without photos the rows go in as one statement (on PostgreSQL), its own transaction; inside a
        # caller's transaction a savepoint keeps a refused insert from spoiling the caller's work.
        with (
            transaction.atomic() if photos or transaction.get_connection().in_atomic_block else contextlib.nullcontext()
        ):
            rows.insert_with(ticket, rows_with)
            for photo in photos:
                TicketPhoto.objects.create(ticket=ticket, file=rename_photo(photo), uploaded_by=ticket.reporter)
            ticket_created.send(sender=Ticket, ticket=ticket)
            analysis.analyse_after_commit([ticket.pk])
    except IntegrityError:
        if source is not None and external_id:
            again = _delivered(source, external_id)
            if again is not None:
                return again, False
        raise
    _notify(ticket, _("We have received your request #%(id)s."), merged=False)
    return ticket, True


def _delivered(source: Source, external_id: str) -> Ticket | None:
    """The ticket this source already delivered under this id (asked only when a push repeats one)."""
    link = TicketExternalId.objects.filter(source=source, external_id=external_id).select_related("ticket").first()
    return link.ticket if link else None


def _home_region(user: Any) -> Region | None:
    if user is None:
        return None
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    if person is not None:
        return Region.objects.filter(pk=person.region_id).first()
    assignment = user.role_assignments.filter(active=True).select_related("region").first()
    return assignment.region if assignment else None


# --- notifications -----------------------------------------------------------------------------------


def _notify(ticket: Ticket, title: Any, body: Any = "", *, merged: bool = True) -> None:
    """Tell the reporter (and the callers of tickets merged into this one) in their own language.
    ``merged=False`` for a ticket just received: nothing can have been merged into it yet."""
    recipients = []
    if ticket.reporter_id:
        recipients.append((ticket.reporter, ticket.pk))
    if merged:
        others = Ticket.objects.filter(duplicate_of=ticket, reporter__isnull=False).select_related("reporter")
        recipients += [(other.reporter, other.pk) for other in others]
    for user, pk in recipients:
        if user is None:
            continue
        notification_send(
            user=user, title=title, body=body, params={"id": pk}, url=reverse("tickets:mine-detail", args=[pk])
        )


STEP_MESSAGES: dict[str, Any] = {
    "dispatch": _("Your request #%(id)s has been passed to the office that will handle it."),
    "redispatch": _("Your request #%(id)s has been passed to another office."),
    "sign_for": _("Your request #%(id)s is being handled."),
    # The reply reaches the reporter once it is approved (审核通过), never while it waits for review.
    "approve_reply": _("Your request #%(id)s has a reply: please tell us whether it was solved."),
    "close": _("Your request #%(id)s is closed."),
    "redo": _("Your request #%(id)s is being handled again."),
    "approve_extension": _("Handling your request #%(id)s needs more time: the new date is in the steps."),
    "approve_screening": _("Your request #%(id)s was screened out."),
    "merge": _("Your request #%(id)s is the same matter as another one: you will hear about both together."),
    "recall": _("Your request #%(id)s was withdrawn."),
}


# --- the one transition ----------------------------------------------------------------------------


def ticket_transition(
    *,
    actor: Any,
    ticket: Ticket,
    action: str,
    note: str = "",
    detail: dict[str, Any] | None = None,
    source: Source | None = None,
    system: bool = False,
    at: dt.datetime | None = None,
    changes: dict[str, Any] | None = None,
) -> Ticket:
    """Apply ``action`` to ``ticket`` if the table allows it from its status and the actor may do it.

    ``source`` is a system that delivered the ticket (the city's 12345 platform acting on its own
    tickets, already authenticated by its key); ``system`` is the background task."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        target_status(action, ticket.status)  # raises the clear "unknown action" error
        raise AssertionError
    if source is not None:
        if ticket.source_id != source.pk:
            raise NotFound()
    elif not system:
        ticket_policy.require(actor, transition.permission, ticket)
        if transition.by_handler and not may_handle(actor, ticket):
            raise PermissionDenied(NOT_HANDLER)
    with transaction.atomic():
        locked = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("handler_region", "reporter")
            .get(pk=ticket.pk)
        )
        before = locked.status
        after = target_status(action, before, locked.held_status)
        now = at or timezone.now()
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        if after in (Status.RETURN_REQUESTED, Status.EXTENSION_REQUESTED, Status.SCREENING_REQUESTED):
            locked.held_status = before
        elif before in (Status.RETURN_REQUESTED, Status.EXTENSION_REQUESTED, Status.SCREENING_REQUESTED):
            locked.held_status = ""
        locked.status = after
        if after in FINAL_STATUSES and locked.closed_at is None:
            locked.closed_at = now
        locked.save()
        event = _event(
            locked, action, actor=actor, from_status=before, to_status=after, note=note, detail=detail, at=now
        )
        ticket_changed.send(sender=Ticket, ticket=locked, action=action, event=event, actor=actor, source=source)
    message = STEP_MESSAGES.get(action)
    if message is not None:
        _notify(locked, message, locked.reply if action == "approve_reply" else "")
    ticket.refresh_from_db()
    return locked


# --- the steps --------------------------------------------------------------------------------------


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({field: [REASON_REQUIRED]})
    return reason


def ticket_dispatch(
    *,
    actor: Any,
    ticket: Ticket,
    handler_region: Region | None = None,
    handler_org: Organisation | None = None,
    handler_user: Any = None,
    note: str = "",
    suggestion: dict[str, Any] | None = None,
) -> Ticket:
    """派单 (or 改派 once dispatched): to a grid, community or street, or to a department."""
    if handler_region is None and handler_org is None:
        raise ValidationFailed({"handler_region": [NO_HANDLER]})
    if handler_region is not None and handler_org is not None:
        raise ValidationFailed({"handler_region": [ONE_HANDLER]})
    dispatch_paths = actor.region_paths_for("tickets.dispatch") if actor is not None else []
    if handler_region is not None and not path_in_scope(handler_region.path, dispatch_paths):
        raise ValidationFailed({"handler_region": [HANDLER_OUT_OF_SCOPE]})
    action = "dispatch" if ticket.status in (Status.ACCEPTED, Status.RETURNED) else "redispatch"
    now = timezone.now()
    limits = deadlines.limits_for(ticket)
    sign_due = deadlines.add_limit(now, limits.sign_for_amount, limits.sign_for_unit)
    changes: dict[str, Any] = {
        "handler_region": handler_region,
        "handler_org": handler_org,
        "handler_user": handler_user,
        "dispatched_at": now,
        "sign_for_due_at": sign_due.at,
        "signed_for_at": None,
    }
    if handler_region is not None and not ticket.region_path.startswith(handler_region.path):
        # A ticket sent outside its queue's subtree (unplaced, or misplaced) moves to the handler's queue.
        changes["queue_region"] = handler_region
        changes["region_path"] = handler_region.path
    detail: dict[str, Any] = {
        "handler_region": handler_region.name if handler_region else "",
        "handler_region_id": handler_region.pk if handler_region else None,
        "handler_org": handler_org.name if handler_org else "",
        "handler_org_id": handler_org.pk if handler_org else None,
    }
    if suggestion:
        detail["suggestion"] = suggestion
    return ticket_transition(actor=actor, ticket=ticket, action=action, note=note, detail=detail, changes=changes)


def ticket_bulk_dispatch(
    *,
    actor: Any,
    tickets: Iterable[Ticket],
    handler_region: Region | None = None,
    handler_org: Organisation | None = None,
) -> tuple[list[Ticket], dict[int, str]]:
    """批量派单: each ticket on its own; the ones refused are reported with their reason."""
    done: list[Ticket] = []
    refused: dict[int, str] = {}
    for ticket in tickets:
        try:
            done.append(
                ticket_dispatch(actor=actor, ticket=ticket, handler_region=handler_region, handler_org=handler_org)
            )
        except DomainError as error:
            refused[ticket.pk] = str(error.message)
    return done, refused


def ticket_sign_for(*, actor: Any, ticket: Ticket) -> Ticket:
    """签收."""
    now = timezone.now()
    on_time = ticket.sign_for_due_at is None or now <= ticket.sign_for_due_at
    return ticket_transition(
        actor=actor,
        ticket=ticket,
        action="sign_for",
        detail={"on_time": on_time},
        changes={"signed_for_at": now, "handler_user": ticket.handler_user or actor},
    )


def ticket_request_return(*, actor: Any, ticket: Ticket, reason: str) -> Ticket:
    """申请退单: before sign-for, or within the return window after it."""
    reason = _require_reason(reason)
    if ticket.status == Status.SIGNED_FOR and ticket.signed_for_at is not None:
        window = deadlines.limits_for(ticket).return_window_hours
        if timezone.now() > ticket.signed_for_at + dt.timedelta(hours=window):
            raise DomainError(RETURN_WINDOW_PASSED % {"hours": window}, field="reason", code="return_window_passed")
    return ticket_transition(actor=actor, ticket=ticket, action="request_return", note=reason)


def ticket_decide_return(*, actor: Any, ticket: Ticket, approve: bool, note: str = "") -> Ticket:
    """审核退单 (the dispatcher). An approved return clears the handler and waits for a new dispatch."""
    if approve:
        changes = {"handler_region": None, "handler_org": None, "handler_user": None, "signed_for_at": None}
        return ticket_transition(actor=actor, ticket=ticket, action="approve_return", note=note, changes=changes)
    return ticket_transition(actor=actor, ticket=ticket, action="reject_return", note=note)


def ticket_handle(*, actor: Any, ticket: Ticket, note: str) -> Ticket:
    """办理: record progress."""
    return ticket_transition(actor=actor, ticket=ticket, action="handle", note=_require_reason(note, "note"))


def reply_review_required() -> bool:
    """审核答复: a reply waits for a reviewer before the reporter sees it, unless the district turns
    ``TICKETS_REPLY_REVIEW`` off (then the reply is approved as it is sent)."""
    return bool(getattr(settings, "TICKETS_REPLY_REVIEW", True))


def ticket_reply(*, actor: Any, ticket: Ticket, reply: str, photos: Sequence[UploadedFile] = ()) -> Ticket:
    """答复: the reply waits for review (``reply_review_required``), or passes at once where review is off."""
    reply = (reply or "").strip()
    errors: dict[str, list[Any]] = {}
    if not reply:
        errors["reply"] = [REPLY_REQUIRED]
    photos_validate(photos, errors)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        result = ticket_transition(
            actor=actor,
            ticket=ticket,
            action="reply",
            note=reply,
            changes={"reply": reply, "replied_at": timezone.now()},
        )
        for photo in photos:
            TicketPhoto.objects.create(
                ticket=result, file=rename_photo(photo), stage=TicketPhoto.Stage.REPLY, uploaded_by=actor
            )
        if not reply_review_required():
            result = ticket_transition(
                actor=None,
                ticket=result,
                action="approve_reply",
                system=True,
                detail={"review": "off"},
                changes={"reviewed_at": timezone.now()},
            )
    return result


def ticket_review_reply(*, actor: Any, ticket: Ticket, approve: bool, note: str = "") -> Ticket:
    """审核答复: approve, or send back for more handling."""
    if approve:
        return ticket_transition(
            actor=actor, ticket=ticket, action="approve_reply", note=note, changes={"reviewed_at": timezone.now()}
        )
    return ticket_transition(actor=actor, ticket=ticket, action="reject_reply", note=_require_reason(note, "note"))


def _follow_up_values(solved: str, satisfied: str) -> None:
    errors: dict[str, list[Any]] = {}
    if solved not in FollowUp.Solved.values:
        errors["solved"] = [BAD_SOLVED]
    if satisfied not in FollowUp.Satisfied.values:
        errors["satisfied"] = [BAD_SATISFIED]
    if errors:
        raise ValidationFailed(errors)


def ticket_follow_up(
    *,
    actor: Any,
    ticket: Ticket,
    solved: str,
    satisfied: str,
    comment: str = "",
    source: Source | None = None,
    answered_at: dt.datetime | None = None,
    rated_by_reporter: bool = False,
) -> FollowUp:
    """回访: record the answers. A good answer closes the ticket; a bad one waits for a redo or a close."""
    _follow_up_values(solved, satisfied)
    with transaction.atomic():
        result = ticket_transition(
            actor=actor,
            ticket=ticket,
            action="follow_up",
            note=comment,
            detail={"solved": solved, "satisfied": satisfied, "by_reporter": rated_by_reporter},
            source=source,
            system=rated_by_reporter,
            at=answered_at,
        )
        follow_up = FollowUp.objects.create(
            ticket=result,
            solved=solved,
            satisfied=satisfied,
            comment=comment,
            by=actor if getattr(actor, "is_authenticated", False) else None,
            by_source=source,
            answered_at=answered_at or timezone.now(),
        )
        if solved != FollowUp.Solved.NO and satisfied != FollowUp.Satisfied.NO:
            ticket_transition(actor=actor, ticket=result, action="close", system=True, source=source)
    return follow_up


def ticket_rate(*, actor: Any, ticket: Ticket, solved: str, satisfied: str, comment: str = "") -> FollowUp:
    """评价: the resident who filed the request answers the follow-up themselves."""
    if not ticket_policy.is_own(actor, ticket):
        raise NotFound()
    # Only a reply the resident can read may be rated: not one still waiting for review.
    if ticket.status != Status.REVIEWED or not reply_visible(ticket):
        raise DomainError(NOT_RATABLE, code="not_ratable")
    return ticket_follow_up(
        actor=actor, ticket=ticket, solved=solved, satisfied=satisfied, comment=comment, rated_by_reporter=True
    )


def ticket_close(*, actor: Any, ticket: Ticket, note: str = "") -> Ticket:
    """办结."""
    return ticket_transition(actor=actor, ticket=ticket, action="close", note=note)


def ticket_redo(*, actor: Any, ticket: Ticket, note: str = "", source: Source | None = None) -> Ticket:
    """重办: back to the handler with a new time limit."""
    now = timezone.now()
    deadline = deadlines.due_for(ticket, now)
    changes = {
        "due_at": deadline.at,
        "deadline_provisional": deadline.provisional,
        "redo_count": ticket.redo_count + 1,
        "closed_at": None,
        "replied_at": None,
        "reviewed_at": None,
        "warned_at": None,
    }
    return ticket_transition(actor=actor, ticket=ticket, action="redo", note=note, source=source, changes=changes)


def ticket_request_extension(*, actor: Any, ticket: Ticket, days: int, reason: str) -> Ticket:
    """申请延期."""
    reason = _require_reason(reason)
    if not isinstance(days, int) or not EXTENSION_DAYS[0] <= days <= EXTENSION_DAYS[1]:
        raise ValidationFailed({"days": [BAD_EXTENSION]})
    return ticket_transition(actor=actor, ticket=ticket, action="request_extension", note=reason, detail={"days": days})


def ticket_decide_extension(*, actor: Any, ticket: Ticket, approve: bool, note: str = "") -> Ticket:
    """审批延期: the new deadline counts the granted working days from the old one."""
    if not approve:
        return ticket_transition(actor=actor, ticket=ticket, action="reject_extension", note=note)
    request = ticket.events.filter(action="request_extension").order_by("-at", "-pk").first()
    days = int((request.detail or {}).get("days", 1)) if request else 1
    start = ticket.due_at or timezone.now()
    deadline = deadlines.add_working_days(start, days)
    changes = {"due_at": deadline.at, "deadline_provisional": deadline.provisional, "warned_at": None}
    return ticket_transition(
        actor=actor,
        ticket=ticket,
        action="approve_extension",
        note=note,
        detail={"days": days, "due_at": deadline.at.isoformat()},
        changes=changes,
    )


def ticket_request_screening(*, actor: Any, ticket: Ticket, reason: str) -> Ticket:
    """申诉: ask that an unreasonable demand be screened out (甄别)."""
    return ticket_transition(actor=actor, ticket=ticket, action="request_screening", note=_require_reason(reason))


def ticket_decide_screening(*, actor: Any, ticket: Ticket, approve: bool, note: str = "") -> Ticket:
    """甄别: once approved, the ticket leaves the rates."""
    action = "approve_screening" if approve else "reject_screening"
    return ticket_transition(actor=actor, ticket=ticket, action=action, note=note)


def ticket_urge(*, actor: Any, ticket: Ticket, note: str = "", source: Source | None = None) -> Ticket:
    """催办."""
    Ticket.objects.filter(pk=ticket.pk).update(urge_count=F("urge_count") + 1)
    return ticket_transition(actor=actor, ticket=ticket, action="urge", note=note, source=source)


def ticket_supervise(*, actor: Any, ticket: Ticket, note: str = "", source: Source | None = None) -> Ticket:
    """督办."""
    return ticket_transition(
        actor=actor, ticket=ticket, action="supervise", note=note, source=source, changes={"supervised": True}
    )


def ticket_recall(*, actor: Any, ticket: Ticket, note: str = "", source: Source | None = None) -> Ticket:
    """撤单: the source (or a dispatcher) withdraws the ticket."""
    return ticket_transition(actor=actor, ticket=ticket, action="recall", note=note, source=source)


def ticket_merge(*, actor: Any, ticket: Ticket, into: Ticket, note: str = "") -> Ticket:
    """合并重复件: the duplicate closes and its caller hears about the surviving ticket."""
    if into.pk == ticket.pk:
        raise ValidationFailed({"into": [MERGE_SELF]})
    if not into.is_open:
        raise ValidationFailed({"into": [MERGE_TARGET_CLOSED]})
    ticket_policy.require(actor, "tickets.dispatch", into)
    return ticket_transition(
        actor=actor, ticket=ticket, action="merge", note=note, detail={"into": into.pk}, changes={"duplicate_of": into}
    )


def ticket_note(*, actor: Any, ticket: Ticket, note: str) -> Ticket:
    """备注."""
    return ticket_transition(actor=actor, ticket=ticket, action="note", note=_require_reason(note, "note"))


def _dispatch_from(actor: Any, ticket: Ticket, data: dict[str, Any]) -> Any:
    handler = data.get("handler")
    handler_kwargs = parse_handler(handler) if isinstance(handler, str) else {}
    return ticket_dispatch(actor=actor, ticket=ticket, note=_note(data), **handler_kwargs)


def _note(data: dict[str, Any]) -> str:
    return data.get("note") or ""


def _reason(data: dict[str, Any]) -> str:
    return data.get("reason") or ""


Runner = Callable[[Any, Ticket, dict[str, Any]], Any]
# Each action of the transition table and the service that takes it, given the fields the table lists for
# it (the ticket page and the API send the same ones). A test holds the keys to the table's.
RUNNERS: dict[str, Runner] = {
    "dispatch": _dispatch_from,
    "redispatch": _dispatch_from,
    "sign_for": lambda a, t, d: ticket_sign_for(actor=a, ticket=t),
    "request_return": lambda a, t, d: ticket_request_return(actor=a, ticket=t, reason=_reason(d)),
    "approve_return": lambda a, t, d: ticket_decide_return(actor=a, ticket=t, approve=True, note=_note(d)),
    "reject_return": lambda a, t, d: ticket_decide_return(actor=a, ticket=t, approve=False, note=_note(d)),
    "handle": lambda a, t, d: ticket_handle(actor=a, ticket=t, note=_note(d)),
    "reply": lambda a, t, d: ticket_reply(actor=a, ticket=t, reply=d.get("reply") or "", photos=d.get("photos") or []),
    "approve_reply": lambda a, t, d: ticket_review_reply(actor=a, ticket=t, approve=True, note=_note(d)),
    "reject_reply": lambda a, t, d: ticket_review_reply(actor=a, ticket=t, approve=False, note=_note(d)),
    "follow_up": lambda a, t, d: ticket_follow_up(
        actor=a, ticket=t, solved=d.get("solved") or "", satisfied=d.get("satisfied") or "", comment=_note(d)
    ),
    "close": lambda a, t, d: ticket_close(actor=a, ticket=t, note=_note(d)),
    "redo": lambda a, t, d: ticket_redo(actor=a, ticket=t, note=_note(d)),
    "request_extension": lambda a, t, d: ticket_request_extension(
        actor=a, ticket=t, days=d.get("days") or 0, reason=_reason(d)
    ),
    "approve_extension": lambda a, t, d: ticket_decide_extension(actor=a, ticket=t, approve=True, note=_note(d)),
    "reject_extension": lambda a, t, d: ticket_decide_extension(actor=a, ticket=t, approve=False, note=_note(d)),
    "request_screening": lambda a, t, d: ticket_request_screening(actor=a, ticket=t, reason=_reason(d)),
    "approve_screening": lambda a, t, d: ticket_decide_screening(actor=a, ticket=t, approve=True, note=_note(d)),
    "reject_screening": lambda a, t, d: ticket_decide_screening(actor=a, ticket=t, approve=False, note=_note(d)),
    "urge": lambda a, t, d: ticket_urge(actor=a, ticket=t, note=_note(d)),
    "supervise": lambda a, t, d: ticket_supervise(actor=a, ticket=t, note=_note(d)),
    "recall": lambda a, t, d: ticket_recall(actor=a, ticket=t, note=_note(d)),
    "merge": lambda a, t, d: ticket_merge(
        actor=a, ticket=t, into=ticket_policy.get(a, "tickets.view", pk=d.get("into")), note=_note(d)
    ),
    "note": lambda a, t, d: ticket_note(actor=a, ticket=t, note=_note(d)),
}


def ticket_act(*, actor: Any, ticket: Ticket, action: str, data: dict[str, Any]) -> Any:
    """Run one action with the fields it needs (shared by the ticket page and the API)."""
    runner = RUNNERS.get(action)
    if runner is None:
        transition_for(action)  # the table's clear "unknown action" error
        raise AssertionError(action)
    return runner(actor, ticket, data)


# --- time limits: warnings and escalation -----------------------------------------------------------

WORKING_STATUSES = (Status.DISPATCHED, Status.SIGNED_FOR, Status.HANDLING, Status.EXTENSION_REQUESTED)


def _handler_users(ticket: Ticket) -> list[Any]:
    users = []
    if ticket.handler_user_id:
        users.append(ticket.handler_user)
    return users


def tickets_check_deadlines(*, now: dt.datetime | None = None, warn_hours: int | None = None) -> dict[str, int]:
    """预警与超期升级: warn the handler before the deadline; escalate overdue tickets a level up (escalation.py)."""
    from jishiyu.tickets import escalation

    now = now or timezone.now()
    warn = dt.timedelta(hours=warn_hours if warn_hours is not None else deadlines.DEFAULT_LIMITS.warn_before_hours)
    counts = {"warned": 0, "escalated": 0}
    soon = Ticket.objects.filter(
        status__in=WORKING_STATUSES, warned_at__isnull=True, due_at__gt=now, due_at__lte=now + warn
    ).select_related("handler_user")
    for ticket in soon[:5000]:
        with transaction.atomic():
            Ticket.objects.filter(pk=ticket.pk).update(warned_at=now)
            _event(ticket, "warn", detail={"due_at": ticket.due_at.isoformat() if ticket.due_at else ""}, at=now)
        for user in _handler_users(ticket):
            notification_send(
                user=user,
                title=_("Ticket #%(id)s is due soon."),
                params={"id": ticket.pk},
                url=reverse("tickets:ticket-detail", args=[ticket.pk]),
            )
        counts["warned"] += 1
    counts["escalated"] = escalation.tickets_escalate_overdue(now=now)
    return counts
