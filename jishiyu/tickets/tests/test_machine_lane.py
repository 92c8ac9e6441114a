"""The machine lane (jishiyu.core.wsgi) and the compiled one-row insert (jishiyu.core.rows) the 12345 push
and Open311 run on: requests go through the real WSGI application, not the test client's handler."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from jishiyu.core import rows
from jishiyu.core.crypto import decrypt_text
from jishiyu.core.wsgi import LanedApplication
from jishiyu.tickets.models import Channel, Status, Ticket, TicketEvent, TicketExternalId
from jishiyu.tickets.tests.hotline_fixtures import category, hotline_source, open311_source, push_payload

__all__ = ["category", "hotline_source", "open311_source"]


@pytest.fixture
def app() -> Iterator[LanedApplication]:
    # Like Django's test client: keep the test's connection (and its transaction) open across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield LanedApplication()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(
    app: LanedApplication, method: str, path: str, body: bytes = b"", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "203.0.113.9",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        **headers,
    }
    started: list[Any] = []
    content = b"".join(app(environ, lambda status, hdrs, *exc: started.append((status, hdrs))))
    status, hdrs = started[0]
    return int(status.split()[0]), dict(hdrs), content


def push(app: LanedApplication, key: str, body: dict[str, Any], **headers: str) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body, ensure_ascii=False).encode()
    return call(
        app, "POST", "/api/v1/hotline/tickets", data, CONTENT_TYPE="application/json", HTTP_X_SOURCE_KEY=key, **headers
    )


def test_machine_paths_take_the_lean_handler_and_people_the_full_one() -> None:
    app = LanedApplication()
    assert app.handler_for("/api/v1/hotline/tickets") is app.machine
    assert app.handler_for("/api/v1/hotline/tickets/NJ-1/events") is app.machine
    assert app.handler_for("/open311/v2/requests.json") is app.machine
    for path in ("/api/v1/hotline/sources", "/api/v1/tickets/", "/tickets/", "/accounts/login/", "/"):
        assert app.handler_for(path) is app.full, path

    def view_middleware(handler: Any) -> set[str]:
        return {type(method.__self__).__name__ for method in handler._view_middleware}

    assert "CsrfViewMiddleware" in view_middleware(app.full)
    assert "CsrfViewMiddleware" not in view_middleware(app.machine)


def test_a_push_through_the_lane_stores_the_ticket_its_id_and_its_first_step(
    app: LanedApplication, hotline_source: Any, category: Any
) -> None:
    status, headers, content = push(app, hotline_source.key, push_payload())
    assert status == 201, content
    ticket = Ticket.objects.get()
    assert json.loads(content) == {"id": ticket.pk, "external_id": "NJ12345-0001", "status": Status.ACCEPTED}
    assert headers["X-Content-Type-Options"] == "nosniff"  # the security middleware still runs
    assert TicketExternalId.objects.get().ticket_id == ticket.pk
    first = TicketEvent.objects.get(ticket=ticket)
    assert (first.action, first.to_status, first.detail["channel"]) == ("accept", Status.ACCEPTED, Channel.HOTLINE)
    assert push(app, hotline_source.key, push_payload())[0] == 200  # re-delivery: the same ticket
    assert Ticket.objects.count() == 1


def test_the_lane_answers_errors_in_the_callers_language_and_refuses_a_wrong_host_or_key(
    app: LanedApplication, hotline_source: Any, category: Any
) -> None:
    status, _, content = push(app, hotline_source.key, push_payload(content="  "), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert status == 422
    assert json.loads(content)["errors"]["content"] == ["请描述诉求：内容不能为空。"]
    status, _, content = push(app, hotline_source.key, push_payload(content="  "), HTTP_ACCEPT_LANGUAGE="en")
    assert status == 422
    (message,) = json.loads(content)["errors"]["content"]
    assert message.isascii() and message.strip()  # the same rule, in English
    assert push(app, "hl_not-a-key-at-all-000000", push_payload())[0] == 403
    assert push(app, hotline_source.key, push_payload(), HTTP_HOST="evil.example")[0] == 400
    assert Ticket.objects.count() == 0


def test_open311_through_the_lane(app: LanedApplication, open311_source: Any, category: Any) -> None:
    status, _, content = call(app, "GET", "/open311/v2/services.json")
    assert status == 200 and json.loads(content)
    status, _, content = call(app, "GET", "/open311/v2/services.xml")
    assert status == 200 and content.startswith(b"<?xml")


def test_a_signed_in_admin_reaches_the_sources_through_the_full_stack(
    app: LanedApplication, personas: Any, hotline_source: Any
) -> None:
    client = Client()
    client.force_login(personas["district_admin"])
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    status, _, content = call(app, "GET", "/api/v1/hotline/sources", HTTP_COOKIE=cookie)
    assert status == 200, content
    assert [s["key_hint"] for s in json.loads(content)] == [hotline_source.source.key_hint]
    status, _, _ = call(app, "GET", "/api/v1/hotline/sources")  # no session: refused
    assert status in (401, 403)


@pytest.mark.django_db
def test_the_compiled_insert_stores_what_save_would(hotline_source: Any, category: Any, tree: Any) -> None:
    now = timezone.now()
    by_save, by_insert = (
        services_prepare(hotline_source, category, now),
        services_prepare(hotline_source, category, now),
    )
    by_save.save()
    rows.insert(by_insert)
    assert by_insert.pk and by_insert.pk != by_save.pk and not by_insert._state.adding
    saved, inserted = Ticket.objects.get(pk=by_save.pk), Ticket.objects.get(pk=by_insert.pk)
    assert decrypt_text(inserted.caller_phone_enc) == decrypt_text(saved.caller_phone_enc) == "13912345678"
    skip = {"id", "updated_at", "caller_phone_enc"}  # encryption draws a fresh nonce each time
    names = [f.attname for f in Ticket._meta.concrete_fields if f.attname not in skip]
    assert {n: getattr(inserted, n) for n in names} == {n: getattr(saved, n) for n in names}
    assert inserted.updated_at is not None and inserted.updated_at.tzinfo is not None
    event = rows.insert(ticket_event(inserted))
    assert TicketEvent.objects.get(pk=event.pk).detail == ticket_event(saved).detail


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Ticket, TicketEvent, TicketExternalId])
def test_the_compiled_insert_names_the_same_columns_in_the_same_order_as_the_orms(
    model: Any, hotline_source: Any, category: Any
) -> None:
    """The ORM's INSERT for a new row of each intake model is the reference: same table, same columns."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jishiyu.core.rows import _get_plan

    ticket = services_prepare(hotline_source, category)
    ticket.save()
    obj = {
        Ticket: lambda: services_prepare(hotline_source, category),
        TicketEvent: lambda: ticket_event(ticket),
        TicketExternalId: lambda: TicketExternalId(ticket=ticket, source=hotline_source.source, external_id="X-1"),
    }[model]()
    with CaptureQueriesContext(connection) as queries:
        obj.save()
    orm = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT"))
    mine = _get_plan(model, "default").sql

    def columns(sql: str) -> tuple[str, list[str]]:
        match = re.match(r'INSERT INTO ("?\w+"?) \((.*?)\) VALUES', sql)
        assert match, sql
        return match.group(1), [c.strip() for c in match.group(2).split(",")]

    assert columns(mine) == columns(orm)


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_push_is_one_write_and_a_repeat_is_refused_by_the_unique_id(
    app: LanedApplication, hotline_source: Any, category: Any
) -> None:
    # Not wrapped in the test's transaction: the path production takes (one statement on PostgreSQL).
    status, _, first = push(app, hotline_source.key, push_payload("NJ-ONE"))
    assert status == 201
    status, _, again = push(app, hotline_source.key, push_payload("NJ-ONE"))
    assert (status, json.loads(again)) == (200, json.loads(first))
    # a repeat that would no longer validate still answers with the ticket delivered first
    status, _, stale = push(app, hotline_source.key, push_payload("NJ-ONE", category="已删除的分类"))
    assert (status, json.loads(stale)) == (200, json.loads(first))
    ticket = Ticket.objects.get()
    assert TicketExternalId.objects.get().ticket_id == ticket.pk
    assert list(TicketEvent.objects.filter(ticket=ticket).values_list("action", flat=True)) == ["accept"]
    assert push(app, hotline_source.key, push_payload("NJ-TWO"))[0] == 201
    assert Ticket.objects.count() == TicketExternalId.objects.count() == 2


@pytest.mark.django_db
def test_compiled_inserts_refuse_models_whose_saving_does_more(
    hotline_source: Any, category: Any, tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.exceptions import ImproperlyConfigured
    from django.db.models.signals import post_save

    from jishiyu.people.models import Person
    from jishiyu.regions.models import Region
    from jishiyu.tickets import services

    # an audited model (the audit registry listens to its saves): refused before any SQL
    with pytest.raises(ImproperlyConfigured, match=re.escape("people.Person has pre_save/post_save receivers")):
        rows.insert(Person(name="张三", region=Region.objects.first()))
    assert not Person.objects.exists()

    # a receiver connected after the first insert is still honoured: the whole family is refused
    def lamp() -> Ticket:
        return services.ticket_prepare(
            actor=None, channel=Channel.HOTLINE, kind="help", content="路灯不亮。", category=category.name
        )

    ticket = lamp()
    rows.insert_with(ticket, [(services.accept_event(ticket), "ticket")])

    def receiver(**kwargs: Any) -> None:
        raise AssertionError("not reached")

    post_save.connect(receiver, sender=TicketExternalId, dispatch_uid="test-rows-guard")
    try:
        again = lamp()
        link = TicketExternalId(source=hotline_source.source, external_id="NJ-GUARD")
        with pytest.raises(ImproperlyConfigured, match=re.escape("tickets.TicketExternalId")):
            rows.insert_with(again, [(link, "ticket")])
    finally:
        post_save.disconnect(sender=TicketExternalId, dispatch_uid="test-rows-guard")
    assert Ticket.objects.count() == 1 and not TicketExternalId.objects.exists()

    # an overridden save() needs the model's word that a new row needs nothing from it
    monkeypatch.setattr(TicketEvent, "compiled_insert_ok", False)
    with pytest.raises(ImproperlyConfigured, match=re.escape("tickets.TicketEvent overrides save")):
        rows.insert(services.accept_event(ticket))
    assert TicketEvent.objects.filter(ticket=ticket).count() == 1


def services_prepare(hotline_source: Any, category: Any, received_at: Any = None) -> Ticket:
    from jishiyu.tickets import services

    return services.ticket_prepare(
        actor=None,
        channel=Channel.HOTLINE,
        kind="complaint",
        content="翠竹园小区5栋门口路灯不亮。",
        category=category.name,
        address="雨花街道翠竹园小区5栋",
        caller_name="王先生",
        caller_phone="13912345678",
        source=hotline_source.source,
        received_at=received_at or timezone.now(),
    )


def ticket_event(ticket: Ticket) -> TicketEvent:
    from jishiyu.tickets import services

    return services.accept_event(ticket)
