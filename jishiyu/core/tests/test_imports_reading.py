"""The generic spreadsheet reader (表格读取): encodings, headers, empty rows, scope path of a job."""

from __future__ import annotations

import pytest

from jishiyu.core import imports
from jishiyu.core.errors import ValidationFailed

COLUMNS = (imports.Column("姓名", "name", required=True), imports.Column("备注", "note"))


def test_required_marks_in_headers_are_ignored_and_empty_rows_skipped():
    table = imports.read_table("姓名*,备注\n甲,x\n,\n乙,\n".encode(), "a.csv", COLUMNS)
    assert table.headers == ["姓名", "备注"]
    assert table.rows == [(2, {"姓名": "甲", "备注": "x"}), (4, {"姓名": "乙", "备注": ""})]


def test_text_in_no_known_encoding_is_refused_with_a_message():
    with pytest.raises(ValidationFailed) as exc:
        imports.read_table(b"\xff\xff\xff\xfe\x81", "a.csv", COLUMNS)
    assert exc.value.errors == {"file": [imports.BAD_ENCODING]}


def test_a_file_with_only_headers_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        imports.read_table("姓名,备注\n".encode(), "a.csv", COLUMNS)
    assert exc.value.errors == {"file": [imports.EMPTY_FILE]}


def test_a_job_belongs_to_the_deepest_node_above_all_the_uploaders_scopes():
    assert imports._common_path(["/1/7/42/", "/1/7/43/"]) == "/1/7/"
    assert imports._common_path(["/1/7/42/"]) == "/1/7/42/"
    assert imports._common_path(["/1/7/", "/2/"]) == "/"
