"""Issue 12, residents import: the untouched template imports nothing, every fault of every row is reported,
and the error report repeats each failed row's cells, id numbers and phones masked, with its reasons."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from jishiyu.core import imports
from jishiyu.core.errors import ValidationFailed
from jishiyu.core.imports import import_job_create
from jishiyu.core.masking import scrub
from jishiyu.core.models import ImportJob
from jishiyu.core.testing import make_id_number
from jishiyu.people import importers as ri
from jishiyu.people.models import Person
from jishiyu.people.tests.test_imports import HEADERS, HOME, Upload, row, run, xlsx_bytes
from jishiyu.people.validation import INVALID_ID_CHECKSUM, INVALID_PHONE

GOOD_ID = make_id_number(seq=31)
BAD_ID = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")
BAD_PHONE = "1391234567"  # ten digits
OTHER_BAD_ID = make_id_number(seq=32)[:-1] + ("0" if make_id_number(seq=32)[-1] != "0" else "1")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def test_the_untouched_template_is_refused_as_empty_and_imports_nothing(personas):
    template = imports.import_template_xlsx("residents")
    with pytest.raises(ValidationFailed) as exc:
        import_job_create(actor=personas["community_worker"], kind="residents", upload=Upload(template, "t.xlsx"))
    assert exc.value.errors == {"file": [imports.EMPTY_FILE]}
    assert not ImportJob.objects.exists()
    assert not Person.objects.filter(name="王秀英").exists()


def test_the_example_row_copied_unchanged_onto_the_data_sheet_is_skipped(personas, django_capture_on_commit_callbacks):
    """Templates downloaded before issue 12 held the example on the data sheet; users also copy it over."""
    wb = load_workbook(io.BytesIO(imports.import_template_xlsx("residents")))
    example = [c.value for c in wb.worksheets[1][wb.worksheets[1].max_row]]
    with pytest.raises(ValidationFailed) as exc:
        import_job_create(
            actor=personas["community_worker"],
            kind="residents",
            upload=Upload(xlsx_bytes([HEADERS, example]), "old.xlsx"),
        )
    assert exc.value.errors == {"file": [imports.ONLY_EXAMPLE]}
    job = run(
        personas["community_worker"],
        xlsx_bytes([HEADERS, example, row(姓名="真人", 证件号码=GOOD_ID, **HOME)]),
        "old.xlsx",
        django_capture_on_commit_callbacks,
    )
    assert (job.total_rows, job.created, job.failed) == (1, 1, 0)
    assert list(Person.objects.values_list("name", flat=True)) == ["真人"]


def faulty_rows() -> list[list[str]]:
    return [
        HEADERS,
        row(姓名="好人", 证件号码=GOOD_ID, 手机号="13900000001", **HOME),
        # row 3: four faults — no name, a bad id checksum, a ten-digit phone, an unknown tag
        row(证件号码=BAD_ID, 手机号=BAD_PHONE, 社区="翠竹园社区", 标签="外星人"),
        # row 4: two faults — an area that is not a number and an owner flag that is neither 是 nor 否
        row(姓名="李四", 证件号码=OTHER_BAD_ID, 手机号="13900000002", 专有面积="很大", 是否产权人="也许", **HOME),
    ]


def test_every_fault_of_every_row_is_reported_with_row_column_and_reason(personas, django_capture_on_commit_callbacks):
    job = run(
        personas["community_worker"], xlsx_bytes(faulty_rows()), "people.xlsx", django_capture_on_commit_callbacks
    )
    assert (job.status, job.total_rows, job.created, job.failed) == (ImportJob.Status.DONE, 3, 1, 2)
    assert job.errors == [
        {"row": 3, "column": "姓名", "message": str(ri.NAME_REQUIRED)},
        {"row": 3, "column": "证件号码", "message": str(INVALID_ID_CHECKSUM)},
        {"row": 3, "column": "手机号", "message": scrub(str(INVALID_PHONE))},
        {"row": 3, "column": "标签", "message": str(ri.UNKNOWN_TAGS % {"tags": "外星人"})},
        {"row": 4, "column": "证件号码", "message": str(INVALID_ID_CHECKSUM)},
        {"row": 4, "column": "专有面积", "message": str(ri.INVALID_AREA)},
        {"row": 4, "column": "是否产权人", "message": str(ri.INVALID_OWNER)},
    ]
    assert all(re.search(r"[\u4e00-\u9fff]", e["message"]) for e in job.errors)  # in the user's language (zh-hans)
    assert list(Person.objects.values_list("name", flat=True)) == ["好人"]  # a refused row writes nothing


def test_the_reasons_are_kept_in_the_language_the_uploader_used(personas, django_capture_on_commit_callbacks):
    from django.utils import translation

    with translation.override("en"):  # the worker runs later, with no request: the job remembers the language
        job = run(
            personas["community_worker"], xlsx_bytes(faulty_rows()), "people.xlsx", django_capture_on_commit_callbacks
        )
    assert job.language == "en"
    messages = {e["message"] for e in ImportJob.objects.get(pk=job.pk).errors}
    assert scrub("Enter a mainland mobile number of 11 digits, such as 13812345678.") in messages
    # no Chinese but the tag the uploader typed and the cell values the column takes (是/否)
    assert "Enter 是 or 否." in messages
    assert not any(re.search(r"[\u4e00-\u9fff]", m.replace("外星人", "").replace("是 or 否", "")) for m in messages)


def test_the_error_report_repeats_the_failed_rows_masked_with_their_reasons(
    personas, django_capture_on_commit_callbacks
):
    job = run(
        personas["community_worker"], xlsx_bytes(faulty_rows()), "people.xlsx", django_capture_on_commit_callbacks
    )
    wb = load_workbook(io.BytesIO(imports.import_errors_xlsx(job)))
    failed, faults = wb.worksheets
    rows = [[c if c is not None else "" for c in r] for r in failed.iter_rows(values_only=True)]
    assert rows[0][0] == "行" and rows[0][1:-1] == HEADERS and rows[0][-1] == "错误原因"
    assert [r[0] for r in rows[1:]] == [3, 4]
    by_header = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert by_header[0]["证件号码"] == f"{BAD_ID[:4]}**********{BAD_ID[-4:]}"
    assert by_header[0]["手机号"] == "13******67"  # ten digits: not a mobile number, masked 2 + 2
    assert by_header[0]["标签"] == "外星人" and by_header[0]["社区"] == "翠竹园社区"
    assert by_header[1]["姓名"] == "李四" and by_header[1]["手机号"] == "139****0002"
    assert by_header[1]["专有面积"] == "很大" and by_header[1]["房号"] == "501"
    for err in job.errors:
        assert f"{err['column']}：{err['message']}" in by_header[err["row"] - 3]["错误原因"]
    assert faults.max_row == 1 + len(job.errors)
    text = " ".join(str(c) for sheet in wb.worksheets for r in sheet.iter_rows(values_only=True) for c in r)
    stored = str(job.errors) + str(job.failed_rows)
    for raw in (GOOD_ID, BAD_ID, OTHER_BAD_ID, BAD_PHONE, "13900000001", "13900000002"):
        assert raw not in text
        assert raw not in stored
    assert "好人" not in text  # only the failed rows are repeated
