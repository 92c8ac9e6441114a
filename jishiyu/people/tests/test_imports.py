"""Residents import (居民导入): per-row errors, idempotence, encodings, broken files, scope."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from jishiyu.audit.models import AuditEntry
from jishiyu.core import imports
from jishiyu.core.errors import PermissionDenied, ValidationFailed
from jishiyu.core.imports import import_job_create
from jishiyu.core.models import ImportJob
from jishiyu.core.testing import make_id_number
from jishiyu.people import importers as ri
from jishiyu.people.models import Household, Ownership, Person, PersonTag, Residence
from jishiyu.people.services import SHARES_EXCEED
from jishiyu.people.validation import INVALID_ID_CHECKSUM
from jishiyu.regions.models import Building, Dwelling, Entrance

HEADERS = [c.header for c in ri.ResidentsImporter.columns]


def row(**values: str) -> list[str]:
    return [values.get(h, "") for h in HEADERS]


ID1, ID2, ID3 = make_id_number(seq=11), make_id_number(seq=12), make_id_number(seq=13)
BAD_ID = ID1[:-1] + ("0" if ID1[-1] != "0" else "1")
HOME = {"社区": "翠竹园社区", "网格": "翠竹园第一网格", "小区": "翠竹园", "楼栋": "3", "单元": "2", "房号": "501"}


def mixed_rows() -> list[list[str]]:
    return [
        HEADERS,
        row(
            姓名="王一",
            证件号码=ID1,
            手机号="13912345678",
            专有面积="89.5",
            面积来源="不动产登记",
            户号="HH-1",
            与户主关系="户主",
            是否产权人="是",
            标签="独居老人、低保",
            **HOME,
        ),
        row(姓名="王二", 证件号码=ID2, 户号="HH-1", 与户主关系="配偶", **HOME),
        row(姓名="坏号", 证件号码=BAD_ID, 社区="翠竹园社区"),
        row(姓名="无社区", 证件号码=make_id_number(seq=21), 社区="不存在社区"),
        row(姓名="外社区", 证件号码=make_id_number(seq=22), 社区="新林社区"),
        row(姓名="", 证件号码=make_id_number(seq=23), 社区="翠竹园社区"),
        row(姓名="重复", 证件号码=ID1, 社区="翠竹园社区"),
        row(姓名="王三", 证件号码=ID3, 是否产权人="是", **HOME),
    ]


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


class Upload(io.BytesIO):
    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name = name
        self.size = len(data)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def run(actor: Any, data: bytes, name: str, capture: Any) -> ImportJob:
    with capture(execute=True):
        job = import_job_create(actor=actor, kind="residents", upload=Upload(data, name))
    job.refresh_from_db()
    return job


def test_a_mixed_file_imports_the_good_rows_and_reports_each_bad_row_exactly(
    personas, django_capture_on_commit_callbacks
):
    job = run(personas["community_worker"], xlsx_bytes(mixed_rows()), "people.xlsx", django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    assert (job.total_rows, job.processed, job.created, job.updated, job.unchanged, job.failed) == (8, 8, 2, 0, 0, 6)
    assert job.errors == [
        {"row": 4, "column": "证件号码", "message": str(INVALID_ID_CHECKSUM)},
        {"row": 5, "column": "社区", "message": str(ri.UNKNOWN_COMMUNITY)},
        {"row": 6, "column": "社区", "message": str(ri.COMMUNITY_OUT_OF_SCOPE)},
        {"row": 7, "column": "姓名", "message": str(ri.NAME_REQUIRED)},
        {"row": 8, "column": "证件号码", "message": str(ri.DUPLICATE_IN_FILE % {"row": 2})},
        {"row": 9, "column": "产权份额", "message": str(SHARES_EXCEED)},
    ]
    assert sorted(Person.objects.values_list("name", flat=True)) == ["王一", "王二"]


def test_the_good_rows_are_written_whole(personas, django_capture_on_commit_callbacks):
    run(personas["community_worker"], xlsx_bytes(mixed_rows()), "people.xlsx", django_capture_on_commit_callbacks)
    head = Person.objects.get(name="王一")
    dwelling = Dwelling.objects.get()
    assert dwelling.label == "3-2-501" and dwelling.exclusive_area == 89.5 and dwelling.area_source == "register"
    assert dwelling.building.compound.name == "翠竹园" and dwelling.building.grid.name == "翠竹园第一网格"
    assert head.household.number == "HH-1" and head.phone_masked == "139****5678"
    assert Person.objects.get(name="王二").household_id == head.household_id
    assert set(PersonTag.objects.filter(person=head).values_list("tag", flat=True)) == {"elderly_alone", "subsistence"}
    assert Ownership.objects.get().person == head
    assert Residence.objects.filter(dwelling=dwelling).count() == 2


def test_a_row_failing_late_leaves_nothing_behind(personas, django_capture_on_commit_callbacks):
    run(personas["community_worker"], xlsx_bytes(mixed_rows()), "people.xlsx", django_capture_on_commit_callbacks)
    assert not Person.objects.filter(name="王三").exists()
    assert Residence.objects.count() == 2


def test_importing_the_same_file_again_changes_nothing(personas, django_capture_on_commit_callbacks):
    data = xlsx_bytes(mixed_rows())
    run(personas["community_worker"], data, "people.xlsx", django_capture_on_commit_callbacks)
    counts = [
        m.objects.count() for m in (Person, Household, Building, Entrance, Dwelling, Residence, Ownership, PersonTag)
    ]
    again = run(personas["community_worker"], data, "people.xlsx", django_capture_on_commit_callbacks)
    assert (again.created, again.updated, again.unchanged, again.failed) == (0, 0, 2, 6)
    assert counts == [
        m.objects.count() for m in (Person, Household, Building, Entrance, Dwelling, Residence, Ownership, PersonTag)
    ]


def test_a_changed_row_is_counted_as_updated(personas, django_capture_on_commit_callbacks):
    worker = personas["community_worker"]
    run(worker, xlsx_bytes(mixed_rows()[:2]), "a.xlsx", django_capture_on_commit_callbacks)
    changed = [HEADERS, row(姓名="王一", 证件号码=ID1, 手机号="13912340000", **HOME)]
    job = run(worker, xlsx_bytes(changed), "b.xlsx", django_capture_on_commit_callbacks)
    assert (job.created, job.updated, job.unchanged) == (0, 1, 0)
    assert Person.objects.get().phone_masked == "139****0000"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_a_csv_file_is_read_in_gb18030_and_utf8_with_bom(personas, django_capture_on_commit_callbacks, encoding):
    job = run(
        personas["community_worker"],
        csv_bytes(mixed_rows()[:3], encoding),
        "people.csv",
        django_capture_on_commit_callbacks,
    )
    assert (job.created, job.failed) == (2, 0)
    assert Person.objects.filter(name="王二", household__number="HH-1").exists()


def test_a_broken_xlsx_gets_a_clear_message_and_no_job(personas):
    data = b"PK\x03\x04" + b"not really a workbook" * 20
    with pytest.raises(ValidationFailed) as exc:
        import_job_create(actor=personas["community_worker"], kind="residents", upload=Upload(data, "x.xlsx"))
    assert exc.value.errors == {"file": [imports.BROKEN_FILE]}
    assert not ImportJob.objects.exists()


def test_an_oversized_file_gets_a_clear_message_and_no_job(personas, settings):
    settings.IMPORT_MAX_BYTES = 1000
    data = csv_bytes(mixed_rows() * 10, "utf-8")
    with pytest.raises(ValidationFailed) as exc:
        import_job_create(actor=personas["community_worker"], kind="residents", upload=Upload(data, "x.csv"))
    assert "file" in exc.value.errors
    assert not ImportJob.objects.exists()


def test_a_file_with_too_many_rows_is_refused(personas, settings):
    settings.IMPORT_MAX_ROWS = 3
    with pytest.raises(ValidationFailed) as exc:
        import_job_create(
            actor=personas["community_worker"], kind="residents", upload=Upload(xlsx_bytes(mixed_rows()), "x.xlsx")
        )
    assert exc.value.errors == {"file": [imports.TOO_MANY_ROWS % {"n": 3}]}


def test_a_file_of_another_type_is_refused(personas):
    with pytest.raises(ValidationFailed) as exc:
        import_job_create(actor=personas["community_worker"], kind="residents", upload=Upload(b"hello", "x.pdf"))
    assert exc.value.errors == {"file": [imports.UNSUPPORTED_TYPE]}


def test_a_file_missing_a_required_column_names_it(personas):
    data = csv_bytes([["姓名", "社区"], ["甲", "翠竹园社区"]], "utf-8")
    with pytest.raises(ValidationFailed) as exc:
        import_job_create(actor=personas["community_worker"], kind="residents", upload=Upload(data, "x.csv"))
    assert "证件号码" in str(exc.value.errors["file"][0])


def test_a_grid_worker_without_the_import_permission_cannot_upload(personas):
    with pytest.raises(PermissionDenied):
        import_job_create(
            actor=personas["grid_worker"], kind="residents", upload=Upload(xlsx_bytes(mixed_rows()), "x.xlsx")
        )


def test_progress_is_saved_every_chunk_of_rows(personas, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 3)
    seen: list[tuple[int, int]] = []
    original = imports.import_job_run
    monkeypatch.setattr(
        "jishiyu.core.tasks.import_job_run",
        lambda job_id: original(job_id, on_progress=lambda j: seen.append((j.processed, j.total_rows))),
    )
    run(personas["community_worker"], xlsx_bytes(mixed_rows()), "people.xlsx", django_capture_on_commit_callbacks)
    assert seen == [(3, 8), (6, 8), (8, 8)]


def test_the_error_report_never_holds_a_plain_id_number(personas, django_capture_on_commit_callbacks):
    job = run(personas["community_worker"], xlsx_bytes(mixed_rows()), "people.xlsx", django_capture_on_commit_callbacks)
    ws = load_workbook(io.BytesIO(imports.import_errors_xlsx(job))).active
    text = " ".join(str(c) for r in ws.iter_rows(values_only=True) for c in r)
    assert "证件号码" in text
    for number in (ID1, BAD_ID, ID3, "13912345678"):
        assert number not in text
    assert number not in str(job.errors)


def test_a_finished_import_is_audited_with_its_counts(personas, django_capture_on_commit_callbacks):
    job = run(personas["community_worker"], xlsx_bytes(mixed_rows()), "people.xlsx", django_capture_on_commit_callbacks)
    entry = AuditEntry.objects.get(action="import")
    assert entry.object_id == str(job.pk) and entry.changes["created"] == 2 and entry.changes["failed"] == 6


def test_the_template_has_the_headers_and_a_chinese_guide_with_the_example_on_its_own_sheet():
    wb = load_workbook(io.BytesIO(imports.import_template_xlsx("residents")))
    data, guide = wb.worksheets
    headers = [str(c.value).rstrip("*") for c in data[1]]
    assert headers == HEADERS
    assert [c.value for c in data[2] if c.value] == []  # the data sheet holds nothing to import
    assert guide.title == "填写说明及示例"
    rows = [[c.value for c in r] for r in guide.iter_rows()]
    guide_row = next(r for r in rows if r[0] == "证件号码")
    assert guide_row[2] == "证件号码，按此匹配居民。请将此列设为文本格式。"
    assert [c.value for c in guide[guide.max_row]][:2] == ["王秀英", "居民身份证"]
    assert [c.value for c in guide[guide.max_row - 1]] == HEADERS
