"""Photos of a ticket (工单照片): checked by their content, stored through Django's storage, served only
to those who may see the ticket.

The type of a file is read from its first bytes (JPEG, PNG, GIF, WebP, HEIC/HEIF), never from its name
or from the type the client declares: a renamed PDF is refused. Files are served by the application
(``tickets:photo-file`` for pages, ``/api/v1/tickets/{id}/photos/{photo_id}`` for machines) after the
same scope check as the ticket itself, so a persona who cannot see the ticket gets 404 for its photos too;
the storage's own URL is never shown (docs/deploy.md: keep the bucket private)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import NotFound, PermissionDenied, ValidationFailed
from jishiyu.core.uploads import rename_photo, sniff_image_type
from jishiyu.tickets.models import FINAL_STATUSES, Ticket, TicketEvent, TicketPhoto
from jishiyu.tickets.permissions import may_handle, ticket_policy

MAX_PHOTOS = 9  # per ticket and stage (with the report, with the reply)
TICKET_CLOSED = _("Photos can be added only while the ticket is open.")
NO_PHOTO = _("Choose at least one photo.")
UNKNOWN_STAGE = _("Choose “report” or “reply”.")
NOT_REPLY_HANDLER = _("Only the ticket's handler may add photos to the reply.")


def _may_add(actor: Any, ticket: Ticket, stage: str) -> None:
    """The reporter adds to the report; staff who may report or handle in the ticket's scope add to it too;
    only the handler adds to the reply. Out of scope is NotFound."""
    if stage == TicketPhoto.Stage.REPLY:
        ticket_policy.require(actor, "tickets.handle", ticket)
        if not may_handle(actor, ticket):
            raise PermissionDenied(NOT_REPLY_HANDLER)
        return
    if ticket_policy.is_own(actor, ticket):
        return
    if ticket_policy.allows(actor, "tickets.report", ticket) or may_handle(actor, ticket):
        return
    ticket_policy.require(actor, "tickets.report", ticket)


def may_add(actor: Any, ticket: Ticket, stage: str = TicketPhoto.Stage.REPORT) -> bool:
    """For the pages: whether to offer the "add photos" form."""
    if ticket.status in FINAL_STATUSES:
        return False
    try:
        _may_add(actor, ticket, stage)
    except (NotFound, PermissionDenied):
        return False
    return True


def ticket_photos_add(
    *, actor: Any, ticket: Ticket, photos: Sequence[UploadedFile], stage: str = TicketPhoto.Stage.REPORT
) -> list[TicketPhoto]:
    """补充照片: add photos to an open ticket, all or none (same checks as intake: type by content, size,
    at most MAX_PHOTOS per stage)."""
    from jishiyu.tickets.services import photos_validate

    if stage not in TicketPhoto.Stage.values:
        raise ValidationFailed({"stage": [UNKNOWN_STAGE]})
    _may_add(actor, ticket, stage)
    if ticket.status in FINAL_STATUSES:
        raise ValidationFailed({"photos": [TICKET_CLOSED]})
    photos = list(photos)
    errors: dict[str, list[Any]] = {}
    if not photos:
        errors["photos"] = [NO_PHOTO]
    photos_validate(photos, errors)
    existing = ticket.photos.filter(stage=stage).count()
    if "photos" not in errors and existing + len(photos) > MAX_PHOTOS:
        from jishiyu.tickets.services import TOO_MANY_PHOTOS

        errors["photos"] = [TOO_MANY_PHOTOS % {"max": MAX_PHOTOS}]
    if errors:
        raise ValidationFailed(errors)
    stored: list[TicketPhoto] = []
    try:
        with transaction.atomic():
            for photo in photos:
                stored.append(
                    TicketPhoto.objects.create(ticket=ticket, file=rename_photo(photo), stage=stage, uploaded_by=actor)
                )
            TicketEvent.objects.create(
                ticket=ticket,
                action="add_photos",
                actor=actor,
                detail={"count": len(stored), "stage": stage},
                at=timezone.now(),
            )
    except Exception:
        # The rows rolled back; the files already written must go too (nothing half-stored).
        for row in stored:
            row.file.delete(save=False)
        raise
    return stored


def photo_get(*, actor: Any, ticket_id: Any, photo_id: Any) -> TicketPhoto:
    """One photo of a ticket the actor may see (its reporter, or staff in scope); else NotFound."""
    ticket = ticket_policy.get(actor, "tickets.view", pk=ticket_id)
    photo = ticket.photos.filter(pk=photo_id).first() if str(photo_id).isdigit() else None
    if photo is None:
        raise NotFound()
    return photo


def photo_response(photo: TicketPhoto) -> FileResponse:
    """The file itself, private to the browser (never cached by a shared proxy)."""
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, OSError):
        raise NotFound() from None
    response = FileResponse(handle, content_type=sniff_image_type(handle) or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def photo_page_url(photo: TicketPhoto) -> str:
    return reverse("tickets:photo-file", args=[photo.ticket_id, photo.pk])


def photo_api_url(photo: TicketPhoto) -> str:
    return f"/api/v1/tickets/{photo.ticket_id}/photos/{photo.pk}"


def photos_out(ticket: Ticket) -> list[dict[str, Any]]:
    """The ticket's photos for the API, each with its scoped URL."""
    return [
        {
            "id": p.pk,
            "stage": p.stage,
            "uploaded_at": p.uploaded_at,
            "url": photo_api_url(p),
            "page_url": photo_page_url(p),
        }
        for p in ticket.photos.order_by("uploaded_at", "pk")
    ]
