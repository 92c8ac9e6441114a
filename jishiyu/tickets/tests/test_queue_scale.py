"""The staff queues at scale: badges count up to a cap ("2+"), a page reads its ids first and then its
rows (the same rows, in the same order), and the API still counts exactly."""

from __future__ import annotations

from typing import Any

from jishiyu.tickets import selectors, services
from jishiyu.tickets.models import Channel, Kind, Ticket


def file(personas: Any, tree: Any, n: int) -> list[Ticket]:
    return [
        services.ticket_create(
            actor=personas["resident"], channel=Channel.PORTAL, kind=Kind.HELP, content=f"第{i}件", region=tree.grid
        )[0]
        for i in range(n)
    ]


def test_a_queue_badge_stops_counting_at_the_cap(client: Any, personas: Any, tree: Any, settings: Any) -> None:
    settings.TICKETS_QUEUE_COUNT_CAP = 2
    file(personas, tree, 3)
    counts = selectors.queue_counts(actor=personas["street_dispatcher"])
    assert (int(counts["to_dispatch"]), str(counts["to_dispatch"])) == (2, "2+")
    assert str(counts["overdue"]) == "0"
    client.force_login(personas["street_dispatcher"])
    page = client.get("/tickets/?queue=to_dispatch").content.decode()
    assert '<span class="badge">2+</span>' in page


def test_the_api_counts_a_queue_exactly(client: Any, personas: Any, tree: Any, settings: Any, api_token: Any) -> None:
    settings.TICKETS_QUEUE_COUNT_CAP = 2
    file(personas, tree, 3)
    token = api_token(personas["street_dispatcher"])
    response = client.get("/api/v1/tickets/queues", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    assert response.json()["to_dispatch"] == 3


def test_a_queue_page_holds_the_same_rows_in_the_same_order_as_the_plain_query(personas: Any, tree: Any) -> None:
    tickets = file(personas, tree, 5)
    queue = selectors.ticket_queue(actor=personas["street_dispatcher"], queue="to_dispatch")
    plain = list(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).order_by("received_at"))
    assert [t.pk for t in queue[1:4]] == [t.pk for t in plain[1:4]]
    assert queue[1:4].count() == 3
    row = next(iter(queue[:1]))
    assert row.queue_region.name == tree.grid.name  # related names come with the rows


def test_an_outsider_sees_no_queue_and_no_count(personas: Any, tree: Any) -> None:
    file(personas, tree, 2)
    assert list(selectors.ticket_queue(actor=personas["outsider"], queue="to_dispatch")[:10]) == []
    assert all(int(n) == 0 for n in selectors.queue_counts(actor=personas["outsider"]).values())


def test_the_labels_of_a_tickets_choices_are_read_from_its_enums(personas: Any, tree: Any) -> None:
    ticket = file(personas, tree, 1)[0]
    assert ticket.get_status_display() == str(Ticket._meta.get_field("status").flatchoices[0][1])
    ticket.kind = "unknown"
    assert ticket.get_kind_display() == "unknown"
