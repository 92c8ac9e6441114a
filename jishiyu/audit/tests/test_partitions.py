"""The audit log's monthly partitions on PostgreSQL: entries land in their month, retention drops months
whole, an entry that came before its month was made is moved into it. On SQLite there are none."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from jishiyu.audit import partitions
from jishiyu.audit.models import AuditEntry
from jishiyu.audit.services import audit_purge, audit_record
from jishiyu.audit.tasks import audit_purge_daily

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions are PostgreSQL's; the PostgreSQL leg of CI runs these"
)


def _aged(days: int) -> AuditEntry:
    with time_machine.travel(timezone.now() - timedelta(days=days), tick=False):
        return audit_record(action="update", object_type="people.person", object_id=str(days))


def _partition_of(entry: AuditEntry) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_auditentry WHERE id = %s", [entry.pk])
        return cursor.fetchone()[0]


def test_on_sqlite_there_is_one_plain_table_and_the_purge_still_works(settings: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite leg")
    settings.AUDIT_RETENTION_DAYS = 180
    assert not partitions.is_partitioned() and partitions.ensure_months() == []
    _aged(400)
    assert audit_purge() == 1


@on_postgresql
def test_an_entry_lands_in_its_months_partition_and_the_coming_months_are_made() -> None:
    assert partitions.is_partitioned()
    entry = audit_record(action="reveal", object_type="people.person", object_id="1", reason="核实")
    assert _partition_of(entry) == partitions.Month.of(entry.at).name
    made = partitions.months()
    this = partitions.Month.of(timezone.now())
    assert this in made and this.next().next().next() in made


@on_postgresql
def test_the_purge_drops_whole_months_past_the_cutoff_and_deletes_the_rest_row_by_row(settings: Any) -> None:
    settings.AUDIT_RETENTION_DAYS = 180
    old_month = partitions.Month.of(timezone.now() - timedelta(days=300))
    partitions.make_month(old_month)
    in_old_month = [_aged(300) for _ in range(3)]
    assert {_partition_of(e) for e in in_old_month} == {old_month.name}
    kept = _aged(179)
    boundary = _aged(181)  # in the month the cutoff falls in, or the one before: row by row or whole

    assert audit_purge() == 4
    assert old_month not in partitions.months()
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in [*in_old_month, boundary]]).exists()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()


@on_postgresql
def test_an_entry_that_came_before_its_month_was_made_is_moved_into_it() -> None:
    far = timezone.now() + timedelta(days=200)
    with time_machine.travel(far, tick=False):
        early = audit_record(action="update", object_type="people.person", object_id="early")
    assert _partition_of(early) == partitions.DEFAULT
    with time_machine.travel(far, tick=False):
        audit_purge_daily.call_local()  # the nightly task makes that month and the next three
    assert _partition_of(early) == partitions.Month.of(far).name
    assert AuditEntry.objects.get(pk=early.pk).object_id == "early"


@on_postgresql
def test_ids_stay_unique_and_increasing_across_months() -> None:
    entries = [_aged(days) for days in (40, 0, 70)]
    ids = [e.pk for e in entries]
    assert len(set(ids)) == 3 and ids == sorted(ids)
