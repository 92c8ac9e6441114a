"""Every .xlsx export writes text that a spreadsheet shows and never runs."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from jishiyu.core.exports import safe_text, write_xlsx


def test_cells_starting_like_a_formula_get_a_leading_apostrophe():
    for text in ("=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"):
        assert safe_text(text) == "'" + text
    for text in ("张三", "1=1", "a-b", "", "'already"):
        assert safe_text(text) == text


def test_the_workbook_holds_no_formula_and_keeps_numbers_and_times():
    data = write_xlsx(["=H", "n"], [['=HYPERLINK("x")', 3], [datetime(2026, 1, 1, tzinfo=UTC), -4.5]])
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(r) for r in sheet.iter_rows()]
    assert all(c.data_type != "f" for row in rows for c in row)
    assert rows[0][0].value == "'=H" and rows[1][0].value == '\'=HYPERLINK("x")'
    assert rows[1][1].value == 3 and rows[2][1].value == -4.5
    assert rows[2][0].value == datetime(2026, 1, 1, 8, 0)  # Asia/Shanghai, written without a zone
