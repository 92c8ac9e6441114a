"""Callbacks to the city: signed, sent after the step commits, retried with backoff, shown while failing.

The city's server is a real local HTTP server in a thread (the outside world, nothing else is mocked)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from jishiyu.tickets import callbacks, hotline, services
from jishiyu.tickets.models import CallbackDelivery, Channel, Ticket
from jishiyu.tickets.tests.hotline_fixtures import category

__all__ = ["category"]


class CityServer:
    """A stand-in for the city's 12345 server: records each POST and answers ``status``."""

    def __init__(self) -> None:
        self.received: list[tuple[bytes, dict[str, str]]] = []
        self.status = 200
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                outer.received.append((self.rfile.read(length), dict(self.headers)))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/callback"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def city() -> Iterator[CityServer]:
    server = CityServer()
    yield server
    server.close()


@pytest.fixture
def source(personas: Any, city: CityServer) -> hotline.SourceCredentials:
    return hotline.source_create(
        actor=personas["district_admin"], name="南京12345", channel=Channel.HOTLINE, callback_url=city.url
    )


@pytest.fixture
def ticket(source: hotline.SourceCredentials, category: Any) -> Ticket:
    ticket, _ = hotline.ticket_receive(
        source=source.source,
        intake=hotline.Intake(external_id="NJ-7", content="井盖缺失", kind="求助", category="ZZ901"),
    )
    return ticket


@pytest.fixture
def signed_for(ticket: Ticket, personas: Any, tree: Any, django_capture_on_commit_callbacks: Any) -> Ticket:
    services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=ticket, handler_region=tree.community)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_sign_for(actor=personas["community_worker"], ticket=ticket)
    return ticket


def test_signing_for_a_12345_ticket_calls_the_city_back_with_a_signed_body(
    signed_for: Ticket, city: CityServer, source: hotline.SourceCredentials
) -> None:
    assert len(city.received) == 1
    body, headers = city.received[0]
    payload = json.loads(body)
    assert set(payload) == {"external_id", "event", "at", "detail"}
    assert (payload["external_id"], payload["event"]) == ("NJ-7", "signed_for")
    assert headers["X-Signature"] == callbacks.sign(body, source.secret)
    assert callbacks.verify(body, source.secret, headers["X-Signature"])
    assert not callbacks.verify(body, "another secret", headers["X-Signature"])
    assert CallbackDelivery.objects.get().delivered_at is not None


def test_reply_and_close_call_back_too(
    signed_for: Ticket, city: CityServer, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        replied = services.ticket_reply(actor=personas["community_worker"], ticket=signed_for, reply="已修复井盖。")
    # The reply waits for the district's review: the city hears it once it is approved.
    assert [json.loads(body)["event"] for body, _ in city.received] == ["signed_for"]
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_review_reply(actor=personas["street_dispatcher"], ticket=replied, approve=True, note="内部")
    bodies = [json.loads(body) for body, _ in city.received]
    assert [b["event"] for b in bodies] == ["signed_for", "replied"]
    assert bodies[1]["detail"]["reply"] == "已修复井盖。" and "note" not in bodies[1]["detail"]


def test_a_ticket_without_a_source_calls_nobody(personas: Any, tree: Any, category: Any) -> None:
    ticket, _ = services.ticket_create(actor=None, channel=Channel.PORTAL, kind="help", content="路灯")
    services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=ticket, handler_region=tree.community)
    services.ticket_sign_for(actor=personas["community_worker"], ticket=ticket)
    assert CallbackDelivery.objects.count() == 0


def test_the_backoff_starts_at_a_minute_doubles_and_stops_at_24_hours() -> None:
    waits = [callbacks.backoff(n) for n in range(1, callbacks.MAX_ATTEMPTS + 1)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[10] == timedelta(minutes=1024)
    assert waits[11:] == [timedelta(hours=24)] * (callbacks.MAX_ATTEMPTS - 11)


def test_a_failing_callback_is_retried_by_backoff_until_it_gets_through(
    ticket: Ticket, city: CityServer, personas: Any, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    city.status = 503
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=ticket, handler_region=tree.community)
        with django_capture_on_commit_callbacks(execute=True):
            services.ticket_sign_for(actor=personas["community_worker"], ticket=ticket)
        delivery = CallbackDelivery.objects.get()
        assert (delivery.attempts, delivery.last_error) == (1, "HTTP 503")
        assert delivery.next_attempt_at == start + timedelta(minutes=1)
        assert callbacks.callbacks_send_due() == 0  # not due yet: nothing is sent
    with time_machine.travel(start + timedelta(minutes=1, seconds=1), tick=False):
        callbacks.callbacks_send_due()
        delivery.refresh_from_db()
        assert delivery.attempts == 2
        assert delivery.next_attempt_at == timezone.now() + timedelta(minutes=2)
    city.status = 200
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        assert callbacks.callbacks_send_due() == 1
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 3
    assert len(city.received) == 3
    assert len({body for body, _ in city.received}) == 1  # the same signed body each time


def test_an_unreachable_city_is_recorded_as_an_error(ticket: Ticket, source: hotline.SourceCredentials) -> None:
    source.source.callback_url = "http://127.0.0.1:9/nothing-listens-here"
    source.source.save(update_fields=["callback_url"])
    ticket.refresh_from_db()
    delivery = callbacks.callback_enqueue(ticket=ticket, event="closed")
    assert delivery is not None
    callbacks.callback_deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.last_error and delivery.delivered_at is None


def test_staff_see_failing_callbacks_and_may_send_one_again(
    client: Any, ticket: Ticket, city: CityServer, personas: Any
) -> None:
    city.status = 500
    delivery = callbacks.callback_enqueue(ticket=ticket, event="replied", detail={"reply": "已处理"})
    assert delivery is not None
    callbacks.callback_deliver(delivery.pk)
    client.force_login(personas["district_admin"])
    listed = client.get("/api/v1/hotline/callbacks/failing").json()
    assert [item["id"] for item in listed["items"]] == [delivery.pk]
    assert listed["items"][0]["last_error"] == "HTTP 500"
    page = client.get("/tickets/hotline/callbacks/")
    assert page.status_code == 200 and "HTTP 500" in page.content.decode()
    city.status = 200
    assert client.post(f"/api/v1/hotline/callbacks/{delivery.pk}/retry").status_code == 200
    assert client.get("/api/v1/hotline/callbacks/failing").json()["items"] == []


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker", "community_worker"])
def test_failing_callbacks_are_hidden_from_staff_without_the_right(
    client: Any, ticket: Ticket, city: CityServer, personas: Any, persona: str
) -> None:
    city.status = 500
    delivery = callbacks.callback_enqueue(ticket=ticket, event="replied")
    assert delivery is not None
    callbacks.callback_deliver(delivery.pk)
    client.force_login(personas[persona])
    assert client.get("/api/v1/hotline/callbacks/failing").status_code == 403
    assert client.post(f"/api/v1/hotline/callbacks/{delivery.pk}/retry").status_code == 403
    assert client.get("/tickets/hotline/callbacks/").status_code in (403, 404)
