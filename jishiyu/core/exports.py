"""Every list a user may see exports to .xlsx: one writer, used by every app's export view."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# A text cell starting with one of these is read as a formula by Excel, WPS and LibreOffice (=HYPERLINK(…),
# =cmd|' /C calc'!A0, @SUM(…)); tab and carriage return let one slip past a naive check.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text that a spreadsheet shows and never runs (公式注入): a leading apostrophe, as OWASP advises."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _cell(value: Any) -> Any:
    """One cell of any export: local time for datetimes, numbers as numbers, every text made safe."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, bool | int | float):
        return value
    return safe_text(str(value))


def cells(row: Sequence[Any]) -> list[Any]:
    """A row as export cells: for writers that append to their own sheet (streamed exports, error reports)."""
    return [_cell(v) for v in row]


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "Sheet1") -> bytes:
    """An .xlsx workbook of one sheet; write-only mode keeps memory flat for long lists."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet[:31])
    for i, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(str(header)) * 2 + 4))
    ws.append([safe_text(str(h)) for h in headers])
    for row in rows:
        ws.append(cells(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    response = HttpResponse(write_xlsx(headers, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
