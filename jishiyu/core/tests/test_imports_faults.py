"""Issue 12 in the framework (表格导入): the template's example is skipped, a row reports every fault at once,
and the error report repeats each refused row's cells with id numbers and phones masked."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook

from jishiyu.core import imports
from jishiyu.core.models import ImportJob

ID = "320114198001010011"
PHONE = "13912345678"
NAME, DOC, TEL, NOTE = "姓名", "证件号码", "手机号", "备注"


class PeopleLike(imports.Importer):
    """A stand-in kind (the core's tests import no app): a name is required, the note must not say 坏."""

    kind = "core.test"
    label = "test"
    permission = "core.test"
    columns = (
        imports.Column(NAME, "", "王秀英", required=True),
        imports.Column(DOC, "", ID, personal=imports.ID_NUMBER),
        imports.Column(TEL, "", PHONE, personal=imports.PHONE_NUMBER),
        imports.Column(NOTE, "", ""),
    )

    def import_row(self, row: int, values: dict[str, str]) -> str:
        faults = imports.RowFaults(self)
        if not values.get(NAME):
            faults.add(NAME, "缺姓名")
        if "坏" in values.get(NOTE, ""):
            faults.add(NOTE, f"备注不行，电话 {values.get(TEL)}")
        faults.raise_any()
        return imports.CREATED


@pytest.fixture
def kind(monkeypatch: Any) -> str:
    monkeypatch.setitem(imports._registry, PeopleLike.kind, PeopleLike)
    monkeypatch.setattr(imports, "_discovered", True)
    return PeopleLike.kind


def test_an_example_row_is_recognised_only_when_every_cell_is_the_example():
    cols = PeopleLike.columns
    assert imports.is_example_row({NAME: "王秀英", DOC: ID, TEL: PHONE, NOTE: ""}, cols)
    assert not imports.is_example_row({NAME: "王秀英", DOC: ID, TEL: PHONE, NOTE: "真的"}, cols)
    assert not imports.is_example_row({NAME: "王秀英", DOC: ID, TEL: "", NOTE: ""}, cols)
    assert not imports.is_example_row({NAME: ""}, (imports.Column(NAME, ""),))  # no examples: nothing is one


def test_rows_that_are_the_example_are_left_out_and_a_file_of_only_the_example_is_refused():
    text = f"姓名*,证件号码,手机号,备注\n王秀英,{ID},{PHONE},\n张三,{ID},,\n"
    table = imports.read_table(text.encode(), "a.csv", PeopleLike.columns)
    assert [n for n, _v in table.rows] == [3]
    with pytest.raises(imports.ValidationFailed) as exc:
        imports.read_table(f"姓名,证件号码,手机号\n王秀英,{ID},{PHONE}\n".encode(), "a.csv", PeopleLike.columns)
    assert exc.value.errors == {"file": [imports.ONLY_EXAMPLE]}


def test_the_template_data_sheet_holds_only_headers_and_the_example_is_on_the_instructions_sheet(kind):
    wb = load_workbook(io.BytesIO(imports.import_template_xlsx(kind)))
    data, guide = wb.worksheets
    filled = [[c for c in r if c] for r in data.iter_rows(values_only=True)]
    assert [r for r in filled if r] == [["姓名*", "证件号码", "手机号", "备注"]]
    assert [c.value for c in guide[guide.max_row]] == ["王秀英", ID, PHONE, None]


def test_a_row_error_carries_every_fault_and_a_domain_error_is_mapped_to_its_column():
    faults = imports.RowFaults(PeopleLike(None))
    faults.add(NAME, "a")
    assert faults.check(lambda: (_ for _ in ()).throw(imports.RowError(TEL, "b"))) is None
    assert faults.check(lambda x: x * 2, 21) == 42
    with pytest.raises(imports.RowError) as exc:
        faults.raise_any()
    assert imports.errors_of(PeopleLike(None), exc.value) == [(NAME, "a"), (TEL, "b")]
    imports.RowFaults(PeopleLike(None)).raise_any()  # no fault: nothing raised


def test_cells_are_masked_by_their_kind_and_free_text_is_scrubbed():
    cells = imports.masked_cells(PeopleLike.columns, {NAME: "王一", DOC: ID, TEL: "13900000001", NOTE: f"打 {PHONE}"})
    assert cells == ["王一", "3201**********0011", "139****0001", "打 139****5678"]


@pytest.mark.django_db
def test_a_run_reports_every_fault_of_every_row_and_the_error_report_repeats_them_masked(
    kind, settings: Any, tmp_path: Any
):
    settings.MEDIA_ROOT = str(tmp_path)
    text = (
        "姓名,证件号码,手机号,备注\n"
        f"甲,{ID[:-2]}22,13900000001,\n"
        f",{ID[:-2]}33,13900000002,坏\n"  # two faults
        f",{ID[:-2]}44,,\n"  # one fault
    )
    job = ImportJob(kind=kind, total_rows=3)
    job.file.save("x.csv", ContentFile(text.encode()), save=False)
    job.save()
    job = imports.import_job_run(job.pk)
    assert (job.created, job.failed) == (1, 2)
    assert job.errors == [
        {"row": 3, "column": NAME, "message": "缺姓名"},
        {"row": 3, "column": NOTE, "message": "备注不行，电话 139****0002"},
        {"row": 4, "column": NAME, "message": "缺姓名"},
    ]
    assert job.failed_rows == [
        {"row": 3, "cells": ["", "3201**********0033", "139****0002", "坏"]},
        {"row": 4, "cells": ["", "3201**********0044", "", ""]},
    ]
    wb = load_workbook(io.BytesIO(imports.import_errors_xlsx(job)))
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    assert rows[0][1:-1] == [NAME, DOC, TEL, NOTE]
    assert rows[1][0] == 3 and rows[1][1:-1] == [None, "3201**********0033", "139****0002", "坏"]
    assert rows[1][-1] == "姓名：缺姓名；备注：备注不行，电话 139****0002"
    assert rows[2][0] == 4 and rows[2][-1] == "姓名：缺姓名"
    text_out = " ".join(str(c) for s in wb.worksheets for r in s.iter_rows(values_only=True) for c in r)
    for raw in (f"{ID[:-2]}33", f"{ID[:-2]}44", "13900000002"):
        assert raw not in text_out and raw not in str(job.errors) and raw not in str(job.failed_rows)
