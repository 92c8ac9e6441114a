"""Photos through the API and the pages: checked by content, size and count; all stored or none; listed in
the ticket's detail with URLs that answer only to those who may see the ticket."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jishiyu.tickets import photos, services
from jishiyu.tickets.models import Ticket, TicketEvent, TicketPhoto

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
PDF = b"%PDF-1.7\n" + b"\x00" * 200


def upload(name: str = "lamp.jpg", data: bytes = JPEG, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def media_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def post_photos(client: Any, ticket: Ticket, *files: SimpleUploadedFile, **extra: str) -> Any:
    return client.post(f"/api/v1/tickets/{ticket.pk}/photos", {"photos": list(files), **extra})


def test_the_file_type_is_read_from_the_content_not_the_name() -> None:
    assert photos.sniff_image_type(upload()) == "image/jpeg"
    assert photos.sniff_image_type(upload("x.png", PNG)) == "image/png"
    assert photos.sniff_image_type(upload("x.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 20)) == "image/webp"
    assert photos.sniff_image_type(upload("x.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20)) == "image/heic"
    assert photos.sniff_image_type(upload("renamed.jpg", PDF)) is None


def test_a_resident_adds_photos_to_their_request_and_sees_them_listed_with_urls(
    client: Any, personas: Any, ticket: Ticket
) -> None:
    client.force_login(personas["resident"])
    response = post_photos(client, ticket, upload(), upload("b.png", PNG, "image/png"))
    assert response.status_code == 201, response.content
    added = response.json()
    assert [p["stage"] for p in added] == ["report", "report"]
    detail = client.get(f"/api/v1/tickets/{ticket.pk}").json()
    assert [p["id"] for p in detail["photos"]] == [p["id"] for p in added]
    file_response = client.get(detail["photos"][0]["url"])
    assert file_response.status_code == 200
    assert file_response["Content-Type"] == "image/jpeg"
    assert b"".join(file_response.streaming_content) == JPEG
    assert client.get(detail["photos"][1]["page_url"]).status_code == 200
    assert TicketEvent.objects.filter(ticket=ticket, action="add_photos").get().detail["count"] == 2


def test_a_grid_worker_adds_a_photo_with_a_bearer_token(
    client: Any, personas: Any, ticket: Ticket, api_token: Any
) -> None:
    token = api_token(personas["grid_worker"])
    response = client.post(
        f"/api/v1/tickets/{ticket.pk}/photos", {"photos": [upload()]}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 201, response.content
    assert TicketPhoto.objects.get().uploaded_by == personas["grid_worker"]


def test_a_renamed_document_is_refused_naming_the_field_and_nothing_is_stored(
    client: Any, personas: Any, ticket: Ticket, settings: Any
) -> None:
    client.force_login(personas["resident"])
    response = post_photos(client, ticket, upload(), upload("invoice.jpg", PDF, "image/jpeg"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "invoice.jpg" in errors["photos"][0]
    assert not TicketPhoto.objects.exists() and media_files(settings) == []


def test_an_oversized_photo_is_refused_with_422(client: Any, personas: Any, ticket: Ticket, settings: Any) -> None:
    settings.TICKETS_PHOTO_MAX_BYTES = 1024
    client.force_login(personas["resident"])
    response = post_photos(client, ticket, upload("big.jpg", JPEG + b"\x00" * 2048))
    assert response.status_code == 422
    assert "big.jpg" in response.json()["errors"]["photos"][0]
    assert not TicketPhoto.objects.exists() and media_files(settings) == []


def test_no_more_than_nine_photos_per_stage(client: Any, personas: Any, ticket: Ticket) -> None:
    client.force_login(personas["resident"])
    assert post_photos(client, ticket, *[upload(f"{i}.jpg") for i in range(8)]).status_code == 201
    response = post_photos(client, ticket, upload("9.jpg"), upload("10.jpg"))
    assert response.status_code == 422 and "photos" in response.json()["errors"]
    assert TicketPhoto.objects.count() == 8


def test_an_empty_upload_names_the_field(client: Any, personas: Any, ticket: Ticket) -> None:
    client.force_login(personas["resident"])
    response = client.post(f"/api/v1/tickets/{ticket.pk}/photos", {})
    assert response.status_code == 422 and "photos" in response.json()["errors"]


def test_a_failure_while_storing_leaves_no_row_and_no_file(
    personas: Any, ticket: Ticket, settings: Any, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(TicketEvent.objects, "create", broken)
    with pytest.raises(RuntimeError):
        photos.ticket_photos_add(actor=personas["resident"], ticket=ticket, photos=[upload(), upload("b.jpg")])
    assert not TicketPhoto.objects.exists() and media_files(settings) == []


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker", "auditor", "department_handler"])
def test_a_persona_out_of_scope_gets_404_for_the_photos_and_their_files(
    client: Any, personas: Any, ticket: Ticket, persona: str
) -> None:
    stored = photos.ticket_photos_add(actor=personas["resident"], ticket=ticket, photos=[upload()])[0]
    client.force_login(personas[persona])
    assert client.get(f"/api/v1/tickets/{ticket.pk}/photos").status_code == 404
    assert client.get(f"/api/v1/tickets/{ticket.pk}/photos/{stored.pk}").status_code == 404
    assert client.get(f"/tickets/{ticket.pk}/photos/{stored.pk}/").status_code == 404
    assert post_photos(client, ticket, upload()).status_code == 404
    assert TicketPhoto.objects.count() == 1


def test_a_photo_of_another_ticket_is_not_reachable_through_a_visible_one(
    client: Any, personas: Any, ticket: Ticket, tree: Any
) -> None:
    other, _ = services.ticket_create(
        actor=personas["outsider"], channel="portal", kind="help", content="别处", region=tree.other_grid
    )
    hidden = photos.ticket_photos_add(actor=personas["outsider"], ticket=other, photos=[upload()])[0]
    client.force_login(personas["resident"])
    assert client.get(f"/api/v1/tickets/{ticket.pk}/photos/{hidden.pk}").status_code == 404
    assert client.get(f"/tickets/{ticket.pk}/photos/{hidden.pk}/").status_code == 404


def test_only_the_handler_adds_photos_to_the_reply(client: Any, personas: Any, ticket: Ticket, tree: Any) -> None:
    services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=ticket, handler_region=tree.grid)
    client.force_login(personas["street_dispatcher"])
    assert post_photos(client, ticket, upload(), stage="reply").status_code == 403
    client.force_login(personas["grid_worker"])
    response = post_photos(client, ticket, upload(), stage="reply")
    assert response.status_code == 201 and response.json()[0]["stage"] == "reply"
    assert post_photos(client, ticket, upload(), stage="later").status_code == 422


def test_photos_cannot_be_added_to_a_closed_ticket(client: Any, personas: Any, ticket: Ticket) -> None:
    services.ticket_recall(actor=personas["street_dispatcher"], ticket=ticket)
    client.force_login(personas["resident"])
    response = post_photos(client, ticket, upload())
    assert response.status_code == 422 and "photos" in response.json()["errors"]


def test_the_ticket_pages_show_the_photos_through_their_scoped_urls(client: Any, personas: Any, ticket: Ticket) -> None:
    stored = photos.ticket_photos_add(actor=personas["resident"], ticket=ticket, photos=[upload()])[0]
    url = f"/tickets/{ticket.pk}/photos/{stored.pk}/"
    client.force_login(personas["street_dispatcher"])
    assert f'src="{url}"' in client.get(f"/tickets/{ticket.pk}/").content.decode()
    client.force_login(personas["resident"])
    page = client.get(f"/tickets/mine/{ticket.pk}/").content.decode()
    assert f'src="{url}"' in page and f"/tickets/{ticket.pk}/photos/add/" in page
    assert stored.file.url not in page  # the storage's own URL never reaches the page


def test_the_add_photos_page_answers_a_renamed_document_beside_the_field(
    client: Any, personas: Any, ticket: Ticket, settings: Any
) -> None:
    client.force_login(personas["resident"])
    assert client.get(f"/tickets/{ticket.pk}/photos/add/").status_code == 200
    response = client.post(f"/tickets/{ticket.pk}/photos/add/", {"photos": [upload("scan.jpg", PDF)]})
    assert response.status_code == 422
    assert "scan.jpg" in str(response.context["form"].errors["photos"])
    assert not TicketPhoto.objects.exists() and media_files(settings) == []
    response = client.post(f"/tickets/{ticket.pk}/photos/add/", {"photos": [upload()]})
    assert response.status_code == 302 and response["Location"] == f"/tickets/mine/{ticket.pk}/"
    assert TicketPhoto.objects.count() == 1


def test_the_request_form_refuses_a_document_renamed_as_a_photo(client: Any, personas: Any, tree: Any) -> None:
    client.force_login(personas["resident"])
    response = client.post("/tickets/new/", {"kind": "help", "content": "看图", "photos": [upload("a.jpg", PDF)]})
    assert response.status_code == 422 and "photos" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_a_grid_worker_files_a_field_report_with_photos_in_one_request(client: Any, personas: Any, tree: Any) -> None:
    client.force_login(personas["grid_worker"])
    body = {"channel": "grid", "kind": "other", "content": "消防通道被堵", "category": "E0503", "photos": [upload()]}
    response = client.post("/api/v1/tickets/with-photos", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["channel"] == "grid" and len(created["photos"]) == 1
    assert client.get(created["photos"][0]["url"]).status_code == 200


def test_a_field_report_with_a_bad_photo_stores_neither_ticket_nor_photo(
    client: Any, personas: Any, tree: Any, settings: Any
) -> None:
    client.force_login(personas["grid_worker"])
    body = {"channel": "grid", "kind": "other", "content": "", "photos": [upload("a.jpg", PDF)]}
    response = client.post("/api/v1/tickets/with-photos", body)
    assert response.status_code == 422
    assert {"photos", "content"} <= set(response.json()["errors"])
    assert not Ticket.objects.exists() and not TicketPhoto.objects.exists() and media_files(settings) == []


def test_a_photo_is_stored_under_a_server_made_name_of_its_real_type(
    client: Any, personas: Any, ticket: Ticket, settings: Any
) -> None:
    """The probe's GIF-headed .js and PNG-headed .html ran script when /media/ served them by their names."""
    client.force_login(personas["resident"])
    gif = b"GIF89a" + b"\x00" * 64
    response = post_photos(
        client, ticket, upload("payload.js", gif, "application/javascript"), upload("page.html", PNG, "text/html")
    )
    assert response.status_code == 201, response.content
    names = sorted(Path(p.file.name).name for p in TicketPhoto.objects.filter(ticket=ticket))
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["gif", "png"]
    assert not any("payload" in n or "page" in n for n in names)
    stored = TicketPhoto.objects.filter(ticket=ticket).first()
    assert stored is not None
    assert client.get("/" + settings.MEDIA_URL.strip("/") + "/" + stored.file.name).status_code == 404
    settings.DEBUG = True
    assert client.get("/" + settings.MEDIA_URL.strip("/") + "/" + stored.file.name).status_code == 404
