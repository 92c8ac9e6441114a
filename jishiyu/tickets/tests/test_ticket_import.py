"""Batch import of the hotline's export: same path as a push, idempotent, safe to retry after a crash."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from jishiyu.core import imports
from jishiyu.core.models import ImportJob
from jishiyu.tickets import hotline
from jishiyu.tickets import importers as ti
from jishiyu.tickets.importers import HotlineTicketImporter
from jishiyu.tickets.models import Ticket, TicketExternalId
from jishiyu.tickets.tests.hotline_fixtures import category, hotline_source

__all__ = ["category", "hotline_source"]

KIND = HotlineTicketImporter.kind
HEADERS = [c.header for c in HotlineTicketImporter.columns]


def row(n: int, **overrides: str) -> list[str]:
    values = {
        "工单编号": f"NJ2025-{n:05d}",
        "来电时间": "2025-03-03 09:15",
        "来电人": "王先生",
        "联系电话": "13912345678",
        "是否匿名": "否",
        "是否保密": "否",
        "诉求类型": "投诉",
        "诉求分类": "电梯故障（测试）",
        "诉求内容": f"第{n}号：电梯停运",
        "事发地址": "雨花街道翠竹园小区",
        "经度": "",
        "纬度": "",
        "紧急程度": "一般",
        "办理时限": "",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


def csv_upload(rows: list[list[str]], name: str = "12345.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


def xlsx_upload(rows: list[list[str]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("12345.xlsx", buffer.getvalue())


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Any:
    """Upload and run the job as the worker would, right after the upload commits."""

    def go(actor: Any, upload: SimpleUploadedFile) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = imports.import_job_create(actor=actor, kind=KIND, upload=upload)
        job.refresh_from_db()
        return job

    return go


def test_an_xlsx_export_imports_each_row_as_a_hotline_ticket(
    run: Any, personas: Any, hotline_source: Any, category: Any
) -> None:
    job = run(personas["street_dispatcher"], xlsx_upload([row(1), row(2)]))
    assert (job.status, job.created, job.failed) == (ImportJob.Status.DONE, 2, 0)
    assert set(Ticket.objects.values_list("external_id", flat=True)) == {"NJ2025-00001", "NJ2025-00002"}
    assert set(Ticket.objects.values_list("source_id", flat=True)) == {hotline_source.source.pk}


def test_a_row_already_pushed_is_unchanged_not_duplicated(
    run: Any, personas: Any, hotline_source: Any, category: Any
) -> None:
    hotline.ticket_receive(
        source=hotline_source.source,
        intake=hotline.Intake(external_id="NJ2025-00001", content="推送来的", kind="投诉"),
    )
    job = run(personas["street_dispatcher"], csv_upload([row(1), row(2)]))
    assert (job.created, job.unchanged) == (1, 1)
    assert Ticket.objects.count() == 2


def test_bad_rows_are_reported_by_column_and_good_rows_go_in(
    run: Any, personas: Any, hotline_source: Any, category: Any
) -> None:
    rows = [row(1), row(2, 来电时间="昨天"), row(3, 诉求分类="外星人"), row(4, 诉求内容="")]
    job = run(personas["street_dispatcher"], csv_upload(rows))
    assert (job.created, job.failed) == (1, 3)
    assert {e["column"] for e in job.errors} == {"来电时间", "诉求分类", "诉求内容"}


def test_someone_without_dispatch_rights_cannot_import(personas: Any, hotline_source: Any) -> None:
    with pytest.raises(imports.PermissionDenied):
        imports.import_job_create(actor=personas["outsider"], kind=KIND, upload=csv_upload([row(1)]))
    with pytest.raises(imports.PermissionDenied):
        imports.import_job_create(actor=personas["grid_worker"], kind=KIND, upload=csv_upload([row(1)]))


class ProcessKilled(BaseException):
    """Stands for the worker dying: not an Exception, so no row handler catches it."""


def test_an_import_stopped_at_a_fixed_row_and_retried_loses_nothing_and_duplicates_nothing(
    run: Any, personas: Any, hotline_source: Any, category: Any, monkeypatch: Any
) -> None:
    total, stop_at = 130, 73  # rows 1–50 form the first committed chunk; the crash hits the second
    data = [row(n) for n in range(1, total + 1)]
    original = HotlineTicketImporter.intake_of  # every row is read by it, in a chunk or on its own

    def dying(self: Any, number: int, values: dict[str, str]) -> Any:
        if values["工单编号"] == f"NJ2025-{stop_at:05d}":
            raise ProcessKilled
        return original(self, number, values)

    monkeypatch.setattr(HotlineTicketImporter, "intake_of", dying)
    with pytest.raises(ProcessKilled):
        run(personas["street_dispatcher"], csv_upload(data))
    job = ImportJob.objects.get()
    acknowledged = job.processed
    assert acknowledged == imports.PROGRESS_EVERY
    assert Ticket.objects.count() == acknowledged  # what it reported is stored, the broken chunk is not

    monkeypatch.setattr(HotlineTicketImporter, "intake_of", original)
    retry = run(personas["street_dispatcher"], csv_upload(data))
    assert (retry.unchanged, retry.created, retry.failed) == (acknowledged, total - acknowledged, 0)
    assert Ticket.objects.count() == total
    assert TicketExternalId.objects.count() == total
    assert sorted(Ticket.objects.values_list("external_id", flat=True)) == [
        f"NJ2025-{n:05d}" for n in range(1, total + 1)
    ]


def test_imported_tickets_are_analysed_after_each_chunk_commits(
    run: Any, personas: Any, hotline_source: Any, category: Any
) -> None:
    lamp = row(1, **{"诉求内容": "翠竹园3栋门口路灯不亮了"})
    again = row(2, **{"诉求内容": "3栋门口的路灯不亮", "来电时间": "2025-03-03 10:15"})
    job = run(personas["street_dispatcher"], csv_upload([lamp, again, row(3)]))
    assert job.created == 3
    assert not Ticket.objects.filter(analysed_at__isnull=True).exists()
    first, second = (Ticket.objects.get(external_id=f"NJ2025-0000{n}") for n in (1, 2))
    assert second.suspected_duplicate_of == first
    assert first.events.get().action == "accept"


def test_a_row_repeated_in_the_file_is_one_ticket(run: Any, personas: Any, hotline_source: Any, category: Any) -> None:
    job = run(personas["street_dispatcher"], csv_upload([row(1), row(2), row(1)]))
    assert (job.created, job.unchanged) == (2, 1)
    assert TicketExternalId.objects.count() == 2


def test_a_chunk_that_clashes_with_a_push_goes_in_row_by_row(
    run: Any, personas: Any, hotline_source: Any, category: Any, monkeypatch: Any
) -> None:
    from django.db import IntegrityError

    def clash(**kwargs: Any) -> Any:
        raise IntegrityError("the city pushed one of these ids meanwhile")

    monkeypatch.setattr(hotline, "tickets_receive_bulk", clash)
    job = run(personas["street_dispatcher"], csv_upload([row(1), row(2, **{"诉求类型": "不知道"})]))
    assert (job.created, job.failed) == (1, 1)
    assert job.errors[0]["column"] == "诉求类型"


def test_every_fault_of_a_row_is_reported_and_the_error_report_masks_the_phone(
    run: Any, personas: Any, hotline_source: Any, category: Any
) -> None:
    """Issue 12: two unreadable cells and two refused by the intake service in one row, a fault in another: all
    reported; the error report repeats both rows, the caller's phone masked."""
    rows = [
        row(1),
        row(2, 来电时间="昨天", 是否匿名="也许", 诉求内容="", 诉求类型="闲聊", 联系电话="13912340002"),
        row(3, 经度="东经", 联系电话="13912340003"),
    ]
    job = run(personas["street_dispatcher"], csv_upload(rows))
    assert (job.created, job.failed) == (1, 2)
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (3, "来电时间"),
        (3, "是否匿名"),
        (3, "诉求内容"),
        (3, "诉求类型"),
        (4, "经度"),
    ]
    assert job.errors[0]["message"] == str(ti.BAD_DATETIME) and job.errors[1]["message"] == str(ti.BAD_FLAG)
    assert job.errors[4]["message"] == str(ti.BAD_NUMBER)
    assert all(e["message"] for e in job.errors)
    wb = load_workbook(io.BytesIO(imports.import_errors_xlsx(job)))
    failed = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    assert failed[0][1:-1] == HEADERS
    cells = {r[0]: dict(zip(failed[0], r, strict=True)) for r in failed[1:]}
    assert set(cells) == {3, 4}
    assert cells[3]["联系电话"] == "139****0002" and cells[4]["联系电话"] == "139****0003"
    assert cells[3]["来电时间"] == "昨天" and cells[4]["经度"] == "东经"
    assert "诉求内容：" in cells[3][failed[0][-1]]
    text = " ".join(str(c) for sheet in wb.worksheets for r in sheet.iter_rows(values_only=True) for c in r)
    for raw in ("13912340002", "13912340003"):
        assert raw not in text and raw not in str(job.failed_rows) and raw not in str(job.errors)
