"""Pages: intake forms answer bad input beside the field; staff pages act through the services; the map."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jishiyu.tickets import services
from jishiyu.tickets.models import Category, Status, Ticket

pytestmark = pytest.mark.django_db


def test_an_empty_request_comes_back_with_the_field_named_and_nothing_stored(
    client: Any, personas: Any, tree: Any
) -> None:
    client.force_login(personas["resident"])
    response = client.post("/tickets/new/", {"kind": "help", "content": ""})
    assert response.status_code == 422
    assert "content" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_an_oversized_photo_on_the_page_is_refused(client: Any, personas: Any, tree: Any, settings: Any) -> None:
    settings.TICKETS_PHOTO_MAX_BYTES = 1024 * 1024
    client.force_login(personas["resident"])
    big = SimpleUploadedFile("big.jpg", b"x" * (1024 * 1024 + 10), content_type="image/jpeg")
    response = client.post("/tickets/new/", {"kind": "help", "content": "看图", "photos": [big]})
    assert response.status_code == 422
    assert "photos" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_a_resident_files_a_request_with_a_pin_and_sees_it_in_my_requests(
    client: Any, personas: Any, tree: Any
) -> None:
    client.force_login(personas["resident"])
    category = Category.objects.get(code="E0101")
    response = client.post(
        "/tickets/new/",
        {"kind": "help", "category": category.pk, "content": "垃圾没人清", "lon": "118.78", "lat": "31.99"},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tickets/mine/{ticket.pk}/"
    assert (ticket.lon, ticket.category_id) == (118.78, category.pk)
    assert "垃圾没人清" in client.get("/requests/").content.decode()


def test_a_grid_worker_reports_from_the_field(client: Any, personas: Any, tree: Any) -> None:
    client.force_login(personas["grid_worker"])
    category = Category.objects.get(code="E0503")
    response = client.post(
        "/tickets/report/", {"category": category.pk, "content": "消防通道被堵", "urgency": "urgent"}
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.channel, ticket.reporter_id, ticket.urgency) == ("grid", personas["grid_worker"].pk, "urgent")


def test_a_resident_cannot_open_the_field_report_page(client: Any, personas: Any, tree: Any) -> None:
    client.force_login(personas["resident"])
    assert client.get("/tickets/report/").status_code == 404


def test_the_staff_queue_is_not_for_residents_or_outsiders(client: Any, personas: Any, tree: Any) -> None:
    for persona in ("resident", "outsider"):
        client.force_login(personas[persona])
        assert client.get("/tickets/").status_code == 404


def test_a_dispatcher_dispatches_from_the_ticket_page(client: Any, personas: Any, ticket: Ticket, tree: Any) -> None:
    client.force_login(personas["street_dispatcher"])
    response = client.post(f"/tickets/{ticket.pk}/", {"action": "dispatch", "handler": f"r:{tree.community.pk}"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.DISPATCHED


def test_an_illegal_step_on_the_page_shows_the_clear_error(client: Any, personas: Any, ticket: Ticket) -> None:
    client.force_login(personas["street_dispatcher"])
    response = client.post(f"/tickets/{ticket.pk}/", {"action": "close"})
    assert response.status_code == 422
    assert "illegal" not in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.ACCEPTED


def test_bulk_dispatch_ignores_tickets_out_of_scope(client: Any, personas: Any, tree: Any, ticket: Ticket) -> None:
    far, _ = services.ticket_create(
        actor=personas["outsider"], channel="portal", kind="help", content="新林的事", region=tree.other_grid
    )
    client.force_login(personas["street_dispatcher"])
    response = client.post(
        "/tickets/bulk-dispatch/", {"ids": [ticket.pk, far.pk], "handler": f"r:{tree.community.pk}"}, follow=True
    )
    ticket.refresh_from_db()
    far.refresh_from_db()
    assert (ticket.status, far.status) == (Status.DISPATCHED, Status.ACCEPTED)
    # the page says which one was not dispatched, as the API does, without telling that it exists elsewhere
    assert f"#{far.pk}: 未找到" in response.content.decode()


def test_the_map_data_holds_only_tickets_in_scope(client: Any, personas: Any, tree: Any) -> None:
    services.ticket_create(
        actor=personas["outsider"], channel="portal", kind="help", content="x", region=tree.grid, lon=118.7, lat=31.9
    )
    client.force_login(personas["community_worker"])
    assert len(client.get("/tickets/map/data/").json()["features"]) == 1
    client.force_login(personas["other_community_worker"])
    assert client.get("/tickets/map/data/").json()["features"] == []


def test_the_api_files_a_request_and_refuses_a_bad_one_per_field(client: Any, personas: Any, tree: Any) -> None:
    client.force_login(personas["resident"])
    good = client.post(
        "/api/v1/tickets/",
        {"kind": "enquiry", "content": "怎么办居住证", "category": "S0901"},
        content_type="application/json",
    )
    assert good.status_code == 201 and good.json()["status"] == "accepted"
    bad = client.post(
        "/api/v1/tickets/", {"kind": "enquiry", "content": "", "category": "NOPE"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert Ticket.objects.count() == 1


def test_the_queues_page_2_link_keeps_its_filters(client: Any, personas: Any, tree: Any) -> None:
    from jishiyu.tickets import views

    for n in range(views.PAGE_SIZE + 1):
        services.ticket_create(actor=personas["resident"], channel="portal", kind="help", content=f"路灯不亮 {n}")
    client.force_login(personas["street_dispatcher"])
    page = client.get("/tickets/", {"queue": "to_dispatch", "q": "路灯", "kind": "help"}).content.decode()
    assert 'rel="next"' in page
    link = page.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert "page=2" in link and "queue=to_dispatch" in link and "kind=help" in link and "q=" in link
    second = client.get("/tickets/" + link.replace("&amp;", "&"))
    assert second.status_code == 200 and 'rel="prev"' in second.content.decode()
