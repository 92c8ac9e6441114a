"""Cheap intake: the request stores and answers; the analysis (words, suggestion, duplicate flag) follows
after commit as a huey task (immediate in tests), or later through the sweep when its task was lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone

from jishiyu.tickets import analysis, duplicates, services
from jishiyu.tickets.models import Channel, Kind, Status, Ticket
from jishiyu.tickets.tests.hotline_fixtures import category, hotline_source, open311_source, push_payload

__all__ = ["category", "hotline_source", "open311_source"]

URL = "/api/v1/hotline/tickets"
LAMP = "翠竹园3栋门口路灯不亮了"


def push(client: Any, key: str, body: dict[str, Any]) -> Any:
    return client.post(URL, body, content_type="application/json", HTTP_X_SOURCE_KEY=key)


def file(personas: Any, tree: Any, content: str, who: str = "resident") -> Ticket:
    ticket, _ = services.ticket_create(
        actor=personas[who],
        channel=Channel.PORTAL if who == "resident" else Channel.GRID,
        kind=Kind.HELP,
        content=content,
        region=tree.grid,
    )
    return ticket


def test_a_push_answers_before_the_analysis_which_runs_once_it_is_committed(
    client: Any, hotline_source: Any, category: Any, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = push(client, hotline_source.key, push_payload(content=LAMP))
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    assert (ticket.analysed_at, ticket.words, ticket.suggested_handler) == (None, None, None)
    assert len(queued) == 1
    queued[0]()
    ticket.refresh_from_db()
    assert ticket.analysed_at is not None
    assert ticket.words == duplicates.words(LAMP)
    assert ticket.suggested_handler["rule"]["handler"] == f"region:{tree.community.pk}"


def test_a_pushed_ticket_repeating_an_open_one_is_flagged_by_the_task(
    client: Any, hotline_source: Any, category: Any, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = push(client, hotline_source.key, push_payload("NJ-1", content=LAMP)).json()
    with django_capture_on_commit_callbacks(execute=True):
        second = push(client, hotline_source.key, push_payload("NJ-2", content="3栋门口的路灯不亮")).json()
    assert Ticket.objects.get(pk=second["id"]).suspected_duplicate_of_id == first["id"]
    assert Ticket.objects.get(pk=first["id"]).suspected_duplicate_of_id is None


def test_a_redelivered_push_queues_no_second_analysis(
    client: Any, hotline_source: Any, category: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as first:
        push(client, hotline_source.key, push_payload())
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert push(client, hotline_source.key, push_payload()).status_code == 200
    assert (len(first), len(again)) == (1, 0)


def test_a_push_reads_nothing_once_the_lookups_are_warm(
    client: Any, hotline_source: Any, category: Any, django_assert_num_queries: Any
) -> None:
    push(client, hotline_source.key, push_payload("NJ-WARM"))
    # no read before writing (a repeat is refused by the unique external id): on PostgreSQL the ticket, its
    # external id and its first event as one statement, in a SAVEPOINT only because the test itself runs
    # in a transaction; elsewhere three inserts, in their own savepoint inside that one
    expected = 3 if connection.vendor == "postgresql" else 7
    with django_assert_num_queries(expected):
        assert push(client, hotline_source.key, push_payload("NJ-NEXT")).status_code == 201


def test_a_duplicate_check_reads_the_stored_words_of_its_candidates(
    personas: Any, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        older = file(personas, tree, "小区门口井盖丢了")
    # the stored words decide, not the content: a check never segments a candidate again
    Ticket.objects.filter(pk=older.pk).update(words=duplicates.words(LAMP))
    with django_capture_on_commit_callbacks(execute=True):
        newer = file(personas, tree, LAMP, who="grid_worker")
    newer.refresh_from_db()
    assert newer.suspected_duplicate_of_id == older.pk


def test_an_older_ticket_keeps_its_words_once_it_has_been_compared(personas: Any, tree: Any) -> None:
    older = file(personas, tree, LAMP)  # its task never ran (no commit in this test): no words yet
    assert Ticket.objects.get(pk=older.pk).words is None
    newer = file(personas, tree, "3栋门口的路灯不亮", who="grid_worker")
    analysis.ticket_analyse(Ticket.objects.get(pk=newer.pk))
    assert Ticket.objects.get(pk=older.pk).words == duplicates.words(LAMP)
    assert Ticket.objects.get(pk=newer.pk).suspected_duplicate_of_id == older.pk


def test_the_sweep_analyses_tickets_waiting_for_dispatch_whose_task_was_lost(personas: Any, tree: Any) -> None:
    first = file(personas, tree, LAMP)
    second = file(personas, tree, "3栋门口的路灯不亮", who="grid_worker")
    assert analysis.tickets_analyse_missed() == 0  # too recent: their tasks may still come
    later = timezone.now() + analysis.MISSED_AFTER + dt.timedelta(seconds=1)
    assert analysis.tickets_analyse_missed(now=later) == 2
    second.refresh_from_db()
    assert second.analysed_at is not None and second.suspected_duplicate_of_id == first.pk
    assert analysis.tickets_analyse_missed(now=later) == 0


def test_the_sweep_leaves_tickets_already_dispatched(personas: Any, tree: Any) -> None:
    ticket = file(personas, tree, LAMP)
    services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=ticket, handler_region=tree.community)
    later = timezone.now() + analysis.MISSED_AFTER + dt.timedelta(seconds=1)
    assert analysis.tickets_analyse_missed(now=later) == 0
    assert Ticket.objects.get(pk=ticket.pk).status == Status.DISPATCHED


def test_analysing_twice_changes_nothing_and_skips_deleted_tickets(personas: Any, tree: Any) -> None:
    ticket = file(personas, tree, LAMP)
    assert analysis.tickets_analyse([ticket.pk, 999_999]) == 1
    stamped = Ticket.objects.get(pk=ticket.pk).analysed_at
    assert analysis.tickets_analyse([ticket.pk]) == 0
    assert Ticket.objects.get(pk=ticket.pk).analysed_at == stamped


def test_a_source_switched_off_is_refused_at_once_though_its_key_was_memoised(
    client: Any, hotline_source: Any, category: Any, personas: Any
) -> None:
    from jishiyu.tickets import hotline

    assert push(client, hotline_source.key, push_payload("NJ-1")).status_code == 201
    admin, source_id = personas["district_admin"], hotline_source.source.pk
    hotline.source_update(actor=admin, source_id=source_id, name="南京12345", callback_url="", active=False)
    assert push(client, hotline_source.key, push_payload("NJ-2")).status_code == 403


def test_a_category_added_after_the_catalogue_was_memoised_is_found_at_once(
    client: Any, hotline_source: Any, category: Any
) -> None:
    from jishiyu.tickets.models import Category

    assert push(client, hotline_source.key, push_payload("NJ-1")).status_code == 201
    Category.objects.create(code="ZZ902", name="加装电梯（测试）", domain=Category.Domain.SOCIAL)
    response = push(client, hotline_source.key, push_payload("NJ-2", category="加装电梯（测试）"))
    assert response.status_code == 201, response.content
    assert Ticket.objects.get(pk=response.json()["id"]).category.code == "ZZ902"
