"""JSON API of ticket photos (mounted under /api/v1/tickets): list, add (multipart) and fetch one file.
Every call checks the ticket's scope first: a persona who cannot see the ticket gets 404 for its photos."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from jishiyu.tickets import photos as photo_service
from jishiyu.tickets import selectors
from jishiyu.tickets.schemas import PhotoOut, TicketCreateIn, TicketOut

photos_router = Router(tags=["tickets"])


@photos_router.get("/{int:ticket_id}/photos", response=list[PhotoOut], summary="The ticket's photos (工单照片)")
def photo_list(request: HttpRequest, ticket_id: int) -> Any:
    return photo_service.photos_out(selectors.ticket_get(actor=request.user, ticket_id=ticket_id))


@photos_router.post(
    "/{int:ticket_id}/photos", response={201: list[PhotoOut]}, summary="Add photos (multipart, field “photos”)"
)
def photo_add(
    request: HttpRequest,
    ticket_id: int,
    photos: File[list[UploadedFile]],
    stage: Form[str] = "report",
) -> Any:
    """Residents add photos to their own open request; grid workers and handlers in scope to a ticket's
    report; the handler to the reply (``stage=reply``). Checked by content (JPEG, PNG, WebP, HEIC, GIF),
    size (``TICKETS_PHOTO_MAX_BYTES``) and count (9 per stage); all stored or none (422 naming ``photos``)."""
    ticket = selectors.ticket_get(actor=request.user, ticket_id=ticket_id)
    stored = photo_service.ticket_photos_add(actor=request.user, ticket=ticket, photos=photos, stage=stage)
    return Status(201, [o for o in photo_service.photos_out(ticket) if o["id"] in {p.pk for p in stored}])


@photos_router.get("/{int:ticket_id}/photos/{int:photo_id}", summary="One photo's file", response={200: None})
def photo_file(request: HttpRequest, ticket_id: int, photo_id: int) -> Any:
    return photo_service.photo_response(
        photo_service.photo_get(actor=request.user, ticket_id=ticket_id, photo_id=photo_id)
    )


@photos_router.post("/with-photos", response={201: TicketOut}, summary="File a request with photos (multipart)")
def ticket_create_with_photos(
    request: HttpRequest,
    payload: Form[TicketCreateIn],
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """The fields of ``POST /tickets/`` as form fields, and the photos under ``photos``, in one request: the
    ticket and its photos are stored together or not at all (a grid worker's field report from a phone)."""
    from jishiyu.tickets.api import file_request

    return file_request(request, payload, photos or ())
