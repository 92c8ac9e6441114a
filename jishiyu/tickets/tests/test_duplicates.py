"""Duplicates (重复件): flagged on intake, merged keeping every caller informed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jishiyu.notifications.models import Notification
from jishiyu.tickets import duplicates, services
from jishiyu.tickets.models import Channel, Kind, Status, Ticket
from jishiyu.tickets.tests.routing_factories import category, ticket

pytestmark = pytest.mark.django_db


def test_the_same_matter_in_other_words_is_alike_and_another_matter_is_not() -> None:
    assert duplicates.similarity("翠竹园3栋门口路灯不亮了", "请尽快处理，翠竹园3栋门口的路灯不亮") >= 70
    assert duplicates.similarity("翠竹园3栋门口路灯不亮了", "楼上邻居夜里装修噪音") < 70


def test_distance_is_measured_in_metres() -> None:
    assert 100 < duplicates.distance_m(118.7, 31.9, 118.7012, 31.9) < 130


def test_an_open_ticket_about_the_same_matter_at_the_same_place_is_a_candidate(tree) -> None:
    first = ticket(tree.grid, content="翠竹园3栋门口路灯不亮了")
    second = ticket(tree.grid, content="3栋门口的路灯晚上不亮")
    assert [c.ticket for c in duplicates.candidates(second)] == [first]


def test_a_ticket_at_another_place_or_about_another_matter_is_not_a_candidate(tree) -> None:
    ticket(tree.grid2, content="翠竹园3栋门口路灯不亮了")
    ticket(tree.grid, content="楼上邻居夜里装修噪音")
    second = ticket(tree.grid, content="3栋门口的路灯晚上不亮")
    assert duplicates.candidates(second) == []


def test_a_nearby_point_counts_as_the_same_place_across_a_grid_boundary(tree) -> None:
    first = ticket(tree.grid, content="路口井盖丢失很危险", lon=118.70000, lat=31.90000)
    second = ticket(tree.grid2, content="路口的井盖丢了", lon=118.70050, lat=31.90020)
    far = ticket(tree.grid2, content="路口的井盖丢了", lon=118.72, lat=31.90)
    assert [c.ticket for c in duplicates.candidates(second)] == [first]
    assert first not in [c.ticket for c in duplicates.candidates(far)]


def test_closed_tickets_and_tickets_outside_the_time_window_are_not_candidates(tree) -> None:
    ticket(tree.grid, content="路灯不亮了", status=Status.CLOSED)
    ticket(tree.grid, content="路灯不亮了", received_at=timezone.now() - timedelta(days=30))
    second = ticket(tree.grid, content="路灯不亮了")
    assert duplicates.candidates(second) == []


def test_another_category_is_not_the_same_matter(tree) -> None:
    ticket(tree.grid, content="门口不亮了", category=category("A01", "路灯"))
    second = ticket(tree.grid, content="门口不亮了", category=category("B01", "店招"))
    assert duplicates.candidates(second) == []


def test_intake_flags_a_new_ticket_that_repeats_an_open_one(personas, tree, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = services.ticket_create(
            actor=personas["resident"],
            channel=Channel.PORTAL,
            kind=Kind.HELP,
            content="翠竹园3栋门口路灯不亮了",
            region=tree.grid,
        )
    with django_capture_on_commit_callbacks(execute=True):
        second, _ = services.ticket_create(
            actor=personas["grid_worker"],
            channel=Channel.GRID,
            kind=Kind.HELP,
            content="3栋门口的路灯不亮",
            region=tree.grid,
        )
    second.refresh_from_db()
    assert second.suspected_duplicate_of == first


def test_merging_tells_the_duplicates_caller_and_later_steps_reach_every_caller(personas, tree) -> None:
    kept = ticket(tree.grid, content="翠竹园3栋门口路灯不亮了", reporter=personas["grid_worker"])
    dup = ticket(tree.grid, content="3栋门口的路灯不亮", reporter=personas["resident"])
    services.ticket_merge(actor=personas["street_dispatcher"], ticket=dup, into=kept)
    dup.refresh_from_db()
    assert dup.status == Status.MERGED and dup.duplicate_of == kept
    assert Notification.objects.filter(user=personas["resident"]).count() == 1
    assert set(duplicates.followers(kept)) == {personas["grid_worker"], personas["resident"]}
    services.ticket_dispatch(actor=personas["street_dispatcher"], ticket=kept, handler_region=tree.community)
    assert Notification.objects.filter(user=personas["resident"]).count() == 2
    assert Notification.objects.filter(user=personas["grid_worker"]).count() == 1


def test_a_merged_ticket_is_no_longer_a_candidate(personas, tree) -> None:
    kept = ticket(tree.grid, content="路灯不亮了")
    dup = ticket(tree.grid, content="路灯不亮了")
    services.ticket_merge(actor=personas["street_dispatcher"], ticket=dup, into=kept)
    third = ticket(tree.grid, content="路灯不亮了")
    assert [c.ticket for c in duplicates.candidates(third)] == [kept]
    assert Ticket.objects.get(pk=dup.pk).status == Status.MERGED
