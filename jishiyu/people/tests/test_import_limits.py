"""Hostile and oversized spreadsheets are refused before they are unpacked, and an uploaded file holding plain id
numbers and phones is deleted when its job ends (the probe: an 820 KB .xlsx with one 800 MB cell grew the web
process to 1.76 GB; a 3-million-row file was refused only after 29 s; uploads stayed in var/media/imports/)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from jishiyu.core import imports
from jishiyu.core.errors import ValidationFailed
from jishiyu.core.models import ImportJob
from jishiyu.people.tests.test_imports import HOME, ID1, Upload, csv_bytes, mixed_rows, row, run, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def swollen(data: bytes, member: str, extra: int) -> bytes:
    """The same workbook with ``member`` padded by ``extra`` bytes of spaces (compresses ~1000:1)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == member:
                body = body.replace(b"</worksheet>", b" " * extra + b"</worksheet>")
            target.writestr(info.filename, body)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_the_archive_directory(settings: Any) -> None:
    settings.IMPORT_MAX_UNPACKED_BYTES = 8 * 1024 * 1024
    bomb = swollen(xlsx_bytes(mixed_rows()), "xl/worksheets/sheet1.xml", 12 * 1024 * 1024)
    assert len(bomb) < 200 * 1024  # small on the wire
    with pytest.raises(ValidationFailed) as caught:
        imports.read_table(bomb, "people.xlsx", [])
    assert caught.value.errors["file"] == [imports.UNPACKS_TOO_LARGE % {"mb": 8}]


def test_a_member_packed_far_tighter_than_any_spreadsheet_is_refused(settings: Any) -> None:
    bomb = swollen(xlsx_bytes(mixed_rows()), "xl/worksheets/sheet1.xml", 20 * 1024 * 1024)
    with pytest.raises(ValidationFailed) as caught:
        imports.read_table(bomb, "people.xlsx", [])
    assert "file" in caught.value.errors


def test_a_sheet_declaring_too_many_rows_is_refused_before_they_are_read(settings: Any) -> None:
    settings.IMPORT_MAX_ROWS = 5
    data = xlsx_bytes(mixed_rows())  # 8 data rows; its <dimension> says A1:…9
    with pytest.raises(ValidationFailed) as caught:
        imports.read_table(data, "people.xlsx", [])
    assert caught.value.errors["file"] == [imports.TOO_MANY_ROWS % {"n": 5}]


def test_a_cell_longer_than_a_spreadsheet_allows_is_refused_naming_the_row() -> None:
    """openpyxl cuts .xlsx cells at 32,767 characters itself; a .csv has no such bound but ours."""
    rows = [*mixed_rows()[:2], row(姓名="长" * 40_000, 证件号码=ID1, **HOME)]
    with pytest.raises(ValidationFailed) as caught:
        imports.read_table(csv_bytes(rows, "utf-8"), "people.csv", [])
    assert "3" in str(caught.value.errors["file"])


def test_the_uploaded_file_is_deleted_when_the_job_ends(
    personas: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = run(personas["community_worker"], xlsx_bytes(mixed_rows()), "people.xlsx", django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE and job.created == 2
    assert not job.file
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert job.errors  # the masked error list stays


def test_a_failed_job_deletes_its_file_too(
    personas: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        job = imports.import_job_create(
            actor=personas["community_worker"], kind="residents", upload=Upload(xlsx_bytes(mixed_rows()), "p.xlsx")
        )
    settings.IMPORT_MAX_ROWS = 2  # the file no longer passes when the worker reads it
    job = imports.import_job_run(job.pk)
    assert job.status == ImportJob.Status.FAILED
    job.refresh_from_db()
    assert not job.file
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
