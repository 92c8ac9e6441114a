"""Intake: bad input answers per field and stores nothing; the same external id gives one ticket."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jishiyu.core.errors import ValidationFailed
from jishiyu.regions.models import Region
from jishiyu.tickets import services
from jishiyu.tickets.models import Source, Ticket, TicketPhoto

pytestmark = pytest.mark.django_db


def test_empty_content_unknown_category_and_kind_are_named_and_nothing_is_stored(tree: Any, personas: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.ticket_create(actor=personas["resident"], channel="portal", kind="rant", content=" ", category="ZZZ")
    assert {"content", "category", "kind"} <= set(caught.value.errors)
    assert not Ticket.objects.exists()


def test_an_oversized_photo_is_refused(tree: Any, personas: Any, settings: Any) -> None:
    settings.TICKETS_PHOTO_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.jpg", b"x" * (1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(ValidationFailed) as caught:
        services.ticket_create(actor=personas["resident"], channel="portal", kind="help", content="看图", photos=[big])
    assert "photos" in caught.value.errors
    assert not Ticket.objects.exists() and not TicketPhoto.objects.exists()


def test_a_photo_within_the_limit_is_kept(tree: Any, personas: Any) -> None:
    photo = SimpleUploadedFile("p.jpg", b"\xff\xd8\xff" + b"0" * 100, content_type="image/jpeg")
    ticket, _ = services.ticket_create(
        actor=personas["resident"], channel="portal", kind="help", content="看图", photos=[photo]
    )
    assert ticket.photos.count() == 1


def test_a_point_outside_the_district_outline_is_refused(tree: Any, personas: Any) -> None:
    square = [[118.7, 31.9], [118.9, 31.9], [118.9, 32.1], [118.7, 32.1], [118.7, 31.9]]
    Region.objects.filter(pk=tree.district.pk).update(geometry={"type": "Polygon", "coordinates": [square]})
    with pytest.raises(ValidationFailed) as caught:
        services.ticket_create(
            actor=personas["resident"], channel="portal", kind="help", content="这里", lon=116.4, lat=39.9
        )
    assert "lon" in caught.value.errors


def test_a_point_inside_a_grid_polygon_lands_in_that_grid(tree: Any, personas: Any) -> None:
    square = [[118.70, 31.90], [118.71, 31.90], [118.71, 31.91], [118.70, 31.91], [118.70, 31.90]]
    Region.objects.filter(pk=tree.grid2.pk).update(geometry={"type": "Polygon", "coordinates": [square]})
    ticket, _ = services.ticket_create(
        actor=personas["resident"], channel="portal", kind="help", content="这里", lon=118.705, lat=31.905
    )
    assert ticket.region_id == tree.grid2.pk and ticket.place_resolved


def test_the_same_external_id_from_a_source_gives_one_ticket(tree: Any) -> None:
    source = Source.objects.create(name="12345", key_hash="h" * 64)
    first, created = services.ticket_create(
        actor=None, channel="hotline", kind="help", content="噪音", source=source, external_id="A1"
    )
    again, created_again = services.ticket_create(
        actor=None, channel="hotline", kind="help", content="噪音", source=source, external_id="A1"
    )
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert Ticket.objects.count() == 1


def test_the_caller_phone_is_stored_encrypted_and_shown_masked(tree: Any) -> None:
    ticket, _ = services.ticket_create(
        actor=None, channel="hotline", kind="help", content="噪音", caller_name="王先生", caller_phone="13912345678"
    )
    assert ticket.caller_phone_masked == "139****5678"
    assert "13912345678" not in ticket.caller_phone_enc
    assert ticket._caller_phone_plain() == "13912345678"


def test_an_anonymous_request_keeps_no_name_or_phone(tree: Any) -> None:
    ticket, _ = services.ticket_create(
        actor=None,
        channel="hotline",
        kind="report",
        content="举报",
        caller_name="王",
        caller_phone="13912345678",
        anonymous=True,
    )
    assert (ticket.caller_name, ticket.caller_phone_enc, ticket.caller_phone_masked) == ("", "", "")


def test_a_resident_may_not_file_a_grid_report(tree: Any, personas: Any) -> None:
    from jishiyu.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.ticket_create(actor=personas["resident"], channel="grid", kind="other", content="x")
