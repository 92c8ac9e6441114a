"""The 12345 push: keys, idempotent intake, field errors, the city's events."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import close_old_connections, connection

from jishiyu.tickets import hotline
from jishiyu.tickets.models import Channel, FollowUp, Status, Ticket, TicketExternalId
from jishiyu.tickets.tests.hotline_fixtures import category, hotline_source, open311_source, push_payload

__all__ = ["category", "hotline_source", "open311_source"]

URL = "/api/v1/hotline/tickets"


def push(client: Any, key: str, body: dict[str, Any]) -> Any:
    return client.post(URL, body, content_type="application/json", HTTP_X_SOURCE_KEY=key)


def event(client: Any, key: str, external_id: str, body: dict[str, Any]) -> Any:
    return client.post(f"{URL}/{external_id}/events", body, content_type="application/json", HTTP_X_SOURCE_KEY=key)


def test_a_new_push_answers_201_with_the_ticket(client: Any, hotline_source: Any, category: Any) -> None:
    response = push(client, hotline_source.key, push_payload())
    assert response.status_code == 201, response.content
    body = response.json()
    ticket = Ticket.objects.get()
    assert body == {"id": ticket.pk, "external_id": "NJ12345-0001", "status": Status.ACCEPTED}
    assert ticket.channel == Channel.HOTLINE
    assert ticket.source_id == hotline_source.source.pk
    assert ticket.kind == "complaint"
    assert ticket.category == category
    assert ticket.caller_phone_masked == "139****5678"


def test_the_same_push_delivered_twice_makes_one_ticket_and_answers_200_with_the_same_body(
    client: Any, hotline_source: Any, category: Any
) -> None:
    first = push(client, hotline_source.key, push_payload())
    second = push(client, hotline_source.key, push_payload())
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert Ticket.objects.count() == 1
    assert TicketExternalId.objects.count() == 1


def test_the_same_external_id_from_another_source_is_another_ticket(
    client: Any, hotline_source: Any, personas: Any, category: Any
) -> None:
    other = hotline.source_create(actor=personas["district_admin"], name="省12345", channel=Channel.HOTLINE)
    assert push(client, hotline_source.key, push_payload()).status_code == 201
    assert push(client, other.key, push_payload()).status_code == 201
    assert Ticket.objects.count() == 2


def test_a_push_without_a_key_answers_401(client: Any, hotline_source: Any, category: Any) -> None:
    response = client.post(URL, push_payload(), content_type="application/json")
    assert response.status_code == 401
    assert Ticket.objects.count() == 0


def test_a_push_with_a_wrong_key_answers_403_before_reading_the_body(client: Any, hotline_source: Any) -> None:
    response = push(client, "hl_not-the-key-at-all", {"garbage": True})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_an_open311_key_cannot_push_12345_tickets(client: Any, open311_source: Any, category: Any) -> None:
    assert push(client, open311_source.key, push_payload()).status_code == 403


def test_a_deactivated_source_key_stops_working(client: Any, hotline_source: Any, personas: Any, category: Any) -> None:
    hotline.source_update(
        actor=personas["district_admin"],
        source_id=hotline_source.source.pk,
        name="南京12345",
        callback_url="",
        active=False,
    )
    assert push(client, hotline_source.key, push_payload()).status_code == 403


def test_a_malformed_payload_names_each_bad_field_and_stores_nothing(client: Any, hotline_source: Any) -> None:
    body = push_payload(received_at="yesterday", lon="east", content="")
    del body["kind"]
    response = push(client, hotline_source.key, body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"received_at", "lon", "content", "kind"} <= set(errors)
    assert Ticket.objects.count() == 0


def test_an_unknown_category_and_kind_are_refused_per_field(client: Any, hotline_source: Any, category: Any) -> None:
    response = push(client, hotline_source.key, push_payload(category="外星人", kind="闲聊"))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"category", "kind"}
    assert Ticket.objects.count() == 0


def test_a_bad_phone_is_refused_on_its_field_without_echoing_it(
    client: Any, hotline_source: Any, category: Any
) -> None:
    response = push(client, hotline_source.key, push_payload(caller={"name": "王", "phone": "12"}))
    assert response.status_code == 422
    assert "caller_phone" in response.json()["errors"]


def test_an_anonymous_push_keeps_no_caller(client: Any, hotline_source: Any, category: Any) -> None:
    push(client, hotline_source.key, push_payload(anonymous=True))
    ticket = Ticket.objects.get()
    assert (ticket.caller_name, ticket.caller_phone_enc, ticket.caller_phone_masked) == ("", "", "")


def test_a_given_due_time_is_kept(client: Any, hotline_source: Any, category: Any) -> None:
    push(client, hotline_source.key, push_payload(due_at="2025-03-10T18:00:00+08:00"))
    assert Ticket.objects.get().due_at.isoformat() == "2025-03-10T10:00:00+00:00"


@pytest.mark.django_db(transaction=True)
def test_two_racing_pushes_of_the_same_external_id_create_one_ticket(hotline_source: Any, category: Any) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    results: list[tuple[int, bool]] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        try:
            ticket, created = hotline.ticket_receive(
                source=hotline_source.source,
                intake=hotline.Intake(external_id="RACE-1", content="路灯不亮", kind="求助", category="ZZ901"),
            )
            results.append((ticket.pk, created))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Ticket.objects.count() == 1
    assert len({pk for pk, _ in results}) == 1
    assert sum(created for _, created in results) == 1


# --- the city's events ---------------------------------------------------------------------------


@pytest.fixture
def pushed(client: Any, hotline_source: Any, category: Any) -> Ticket:
    push(client, hotline_source.key, push_payload())
    return Ticket.objects.get()


def test_the_city_urges_its_ticket(client: Any, hotline_source: Any, pushed: Ticket) -> None:
    response = event(client, hotline_source.key, "NJ12345-0001", {"event": "urge", "detail": "市民再次来电"})
    assert response.status_code == 200, response.content
    pushed.refresh_from_db()
    assert pushed.urge_count == 1
    assert pushed.events.filter(action="urge").count() == 1


def test_the_city_supervises_its_ticket(client: Any, hotline_source: Any, pushed: Ticket) -> None:
    assert event(client, hotline_source.key, "NJ12345-0001", {"event": "supervise"}).status_code == 200
    pushed.refresh_from_db()
    assert pushed.supervised


def test_the_city_recalls_its_ticket(client: Any, hotline_source: Any, pushed: Ticket) -> None:
    response = event(client, hotline_source.key, "NJ12345-0001", {"event": "recall", "detail": "重复工单"})
    assert response.json()["status"] == Status.RECALLED


def test_the_citys_follow_up_is_recorded_with_the_residents_answers(
    client: Any, hotline_source: Any, pushed: Ticket
) -> None:
    Ticket.objects.filter(pk=pushed.pk).update(status=Status.REVIEWED)  # the city heard the approved reply
    body = {"event": "follow_up", "detail": "回访", "answers": {"solved": "yes", "satisfied": "满意"}}
    response = event(client, hotline_source.key, "NJ12345-0001", body)
    assert response.status_code == 200, response.content
    follow_up = FollowUp.objects.get()
    assert (follow_up.solved, follow_up.satisfied, follow_up.by_source_id) == ("yes", "yes", hotline_source.source.pk)
    assert response.json()["status"] == Status.CLOSED


def test_a_follow_up_without_answers_is_refused(client: Any, hotline_source: Any, pushed: Ticket) -> None:
    response = event(client, hotline_source.key, "NJ12345-0001", {"event": "follow_up"})
    assert response.status_code == 422
    assert "answers" in response.json()["errors"]


def test_the_city_asks_a_redo_after_an_unsatisfied_follow_up(client: Any, hotline_source: Any, pushed: Ticket) -> None:
    Ticket.objects.filter(pk=pushed.pk).update(status=Status.REVIEWED)  # the city heard the approved reply
    answers = {"solved": "no", "satisfied": "no"}
    event(client, hotline_source.key, "NJ12345-0001", {"event": "follow_up", "answers": answers})
    response = event(client, hotline_source.key, "NJ12345-0001", {"event": "redo", "detail": "未解决"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.HANDLING


def test_an_illegal_event_is_refused_with_a_clear_error(client: Any, hotline_source: Any, pushed: Ticket) -> None:
    response = event(client, hotline_source.key, "NJ12345-0001", {"event": "redo"})
    assert response.status_code == 400
    assert response.json()["code"] == "illegal_transition"


def test_an_unknown_event_is_refused_on_its_field(client: Any, hotline_source: Any, pushed: Ticket) -> None:
    response = event(client, hotline_source.key, "NJ12345-0001", {"event": "dance"})
    assert response.status_code == 422
    assert "event" in response.json()["errors"]


def test_an_event_on_another_sources_ticket_answers_404(
    client: Any, hotline_source: Any, personas: Any, pushed: Ticket
) -> None:
    other = hotline.source_create(actor=personas["district_admin"], name="省12345", channel=Channel.HOTLINE)
    assert event(client, other.key, "NJ12345-0001", {"event": "urge"}).status_code == 404
    assert event(client, hotline_source.key, "NO-SUCH", {"event": "urge"}).status_code == 404


def test_an_event_without_a_key_answers_401(client: Any, pushed: Ticket) -> None:
    response = client.post(f"{URL}/NJ12345-0001/events", {"event": "urge"}, content_type="application/json")
    assert response.status_code == 401
