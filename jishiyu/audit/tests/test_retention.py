"""Retention (at least 180 days), append-only entries and bulk summaries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from jishiyu.audit.models import AuditEntry
from jishiyu.audit.services import audit_purge, audit_record, audit_record_bulk
from jishiyu.audit.tasks import audit_purge_daily

pytestmark = pytest.mark.django_db


def _entry_aged(days: int) -> AuditEntry:
    with time_machine.travel(timezone.now() - timedelta(days=days), tick=False):
        return audit_record(action="update", object_type="people.person", object_id=str(days))


def test_the_purge_keeps_a_179_day_old_entry_and_drops_a_400_day_old_one(settings: Any) -> None:
    settings.AUDIT_RETENTION_DAYS = 180
    kept, dropped = _entry_aged(179), _entry_aged(400)
    assert audit_purge() == 1
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    assert not AuditEntry.objects.filter(pk=dropped.pk).exists()


def test_a_retention_below_180_days_is_raised_to_180(settings: Any) -> None:
    settings.AUDIT_RETENTION_DAYS = 30
    kept = _entry_aged(179)
    audit_purge()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()


def test_the_daily_task_runs_the_purge(settings: Any) -> None:
    settings.AUDIT_RETENTION_DAYS = 365
    old = _entry_aged(366)
    audit_purge_daily.call_local()
    assert not AuditEntry.objects.filter(pk=old.pk).exists()


def test_an_entry_cannot_be_edited_or_deleted_one_by_one() -> None:
    entry = audit_record(action="reveal", object_type="people.person", object_id="1", reason="核实")
    entry.reason = "改过"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "核实"


def test_a_bulk_summary_records_the_count_and_scrubs_personal_numbers(tree: Any) -> None:
    entry = audit_record_bulk(
        action="import",
        object_type="people.person",
        count=1200,
        region_path=tree.community.path,
        details={"file": "residents.xlsx", "note": "first bad row had 13912345678"},
    )
    assert entry.changes["count"] == 1200
    assert entry.region_path == tree.community.path
    assert "13912345678" not in str(entry.changes)
