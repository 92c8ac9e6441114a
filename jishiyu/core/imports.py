"""Spreadsheet imports (表格导入): the generic framework every app's importer plugs into.

An app declares an ``Importer`` subclass in its ``importers.py`` and registers it with
``@register``; the registry finds those modules the way the admin finds ``admin.py``, so the core
never imports an app. Uploads are checked at once (type, size, readable, headers, row count): a
broken file gets a clear message and no job is written. The rows are then imported by a huey task
(``jishiyu.core.tasks``), each in its own savepoint, so a bad row never half-writes and good rows go
in; progress is saved every ``PROGRESS_EVERY`` rows for the job page to poll.
"""

from __future__ import annotations

import csv
import io
import logging
import uuid
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath
from typing import Any, ClassVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from jishiyu.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from jishiyu.core.masking import mask_id_number, mask_phone, scrub
from jishiyu.core.models import ImportJob
from jishiyu.core.scope import collapse_paths, subtree_q

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 50  # rows per chunk: one transaction and one progress update each
MAX_STORED_ERRORS = 5000  # a job keeps at most this many row errors; the count is always exact

UNKNOWN_KIND = _("Unknown import kind.")
NO_FILE = _("Choose a file to import.")
UNSUPPORTED_TYPE = _("Upload an .xlsx or .csv file.")
TOO_LARGE = _("The file is too large: at most %(mb)s MB.")
TOO_MANY_ROWS = _("The file has too many rows: at most %(n)s.")
BROKEN_FILE = _("The file cannot be read: it is damaged or not a real .xlsx file.")
BAD_ENCODING = _("The file's text encoding is not recognised: save it as UTF-8 or GB18030.")
EMPTY_FILE = _("The file has no data rows.")
MISSING_COLUMNS = _("The file lacks these columns: %(columns)s. Download the template to see them.")
ROW_FAILED = _("This row could not be saved.")
MORE_ERRORS = _("More errors were not listed.")
UNPACKS_TOO_LARGE = _(
    "The file unpacks to more than %(mb)s MB: it is not an ordinary spreadsheet. Save it again, or split it."
)
ONLY_EXAMPLE = _(
    "The file holds only the template's example row: enter your own rows on the first sheet (the example is on "
    "the instructions sheet)."
)
CELL_TOO_LONG = _("Row %(row)s holds a cell of more than %(n)s characters (a spreadsheet cell holds at most 32,767).")

MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_RATIO = 200  # a member unpacking to more than 200 times its packed size (and over 8 MB) is a zip bomb
RATIO_FLOOR = 8 * 1024 * 1024


# --- importers and their registry -------------------------------------------------------------


ID_NUMBER, PHONE_NUMBER = "id", "phone"  # Column.personal: how a cell is masked in the error report


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: its header (fixed text, part of the file format), what it means,
    an example value and whether it is required. ``personal`` (ID_NUMBER, PHONE_NUMBER) says how its
    cells are masked when a failed row is repeated in the error report; every other cell is scrubbed."""

    header: str
    help: str | Promise
    example: str = ""
    required: bool = False
    personal: str = ""


class RowError(Exception):
    """A row is refused: which column, and why (never containing a plain id or phone number).
    ``RowError.of(faults)`` refuses it for several faults at once, each ``(column, message)``."""

    def __init__(self, column: str, message: str | Promise):
        super().__init__(str(message))
        self.column = column
        self.message = message
        self.faults: list[tuple[str, str | Promise]] = [(column, message)]

    @classmethod
    def of(cls, faults: Sequence[tuple[str, str | Promise]]) -> RowError:
        exc = cls(*faults[0])
        exc.faults = list(faults)
        return exc


class RowFaults:
    """Collects every fault of a row, so the uploader sees them all at once rather than one per upload::

    faults = RowFaults()
    name = faults.check(read_name, v)   # a RowError (or DomainError) is noted, None returned
    faults.add(PHONE, BAD_PHONE)
    faults.raise_any()                  # RowError.of(all of them), or nothing
    """

    def __init__(self, importer: Importer):
        self.importer = importer
        self.faults: list[tuple[str, str | Promise]] = []

    def add(self, column: str, message: str | Promise) -> None:
        self.faults.append((column, message))

    def check(self, read: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``read(*args, **kwargs)``, or None with its RowError / DomainError noted."""
        try:
            return read(*args, **kwargs)
        except (RowError, DomainError) as exc:
            self.faults.extend(errors_of(self.importer, exc))
            return None

    def failed(self, *columns: str) -> bool:
        """Whether any of these columns (any column when none is named) has a fault already."""
        return any(not columns or c in columns for c, _m in self.faults)

    def raise_any(self) -> None:
        if self.faults:
            raise RowError.of(self.faults)


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# What importing one row came to: an outcome, or "" and the (column, message) errors that refused it.
RowOutcome = tuple[str, list[tuple[str, str]]]


class Importer(ABC):
    """Base of an import kind. ``import_row`` returns CREATED, UPDATED or UNCHANGED, or raises
    RowError / DomainError; it runs inside a savepoint, so whatever it wrote before failing is undone."""

    kind: ClassVar[str]
    label: ClassVar[str | Promise]
    permission: ClassVar[str]
    columns: ClassVar[Sequence[Column]]
    # A DomainError's field name → the column to blame.
    field_columns: ClassVar[dict[str, str]] = {}

    def __init__(self, actor: Any):
        self.actor = actor

    @abstractmethod
    def import_row(self, row: int, values: dict[str, str]) -> str:
        """Validate and write one row; each kind defines it."""

    def import_chunk(self, rows: Sequence[tuple[int, dict[str, str]]]) -> list[RowOutcome] | None:
        """Optionally import a whole chunk at once (bulk reads and writes), inside the chunk's transaction
        and a savepoint of its own: one ``(outcome, errors)`` per row, in order (``errors_of`` turns a
        row's exception into its errors). None, or an exception, and each row goes through ``import_row``
        in its own savepoint instead. Nothing by default."""
        return None

    def finish(self, job: ImportJob) -> None:  # noqa: B027 (an optional hook, not abstract)
        """Called once after the last row (e.g. to write an audit record); nothing by default."""


_registry: dict[str, type[Importer]] = {}
_discovered = False


def register(cls: type[Importer]) -> type[Importer]:
    _registry[cls.kind] = cls
    return cls


def importers() -> dict[str, type[Importer]]:
    global _discovered
    if not _discovered:
        autodiscover_modules("importers")
        _discovered = True
    return dict(_registry)


def importer_for(kind: str) -> type[Importer]:
    cls = importers().get(kind)
    if cls is None:
        raise ValidationFailed({"kind": UNKNOWN_KIND})
    return cls


# --- reading files ----------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (spreadsheet row number, values)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date | Decimal):
        return str(value)
    return str(value).strip()


def _file_error(message: str | Promise) -> ValidationFailed:
    return ValidationFailed({"file": message}, message=message)


def _rows_from_matrix(matrix: Iterable[Sequence[Any]], max_rows: int) -> Table:
    headers: list[str] | None = None
    table = Table(headers=[])
    for number, raw in enumerate(matrix, start=1):
        cells = [_cell_text(v) for v in raw]
        if not any(cells):
            continue
        if headers is None:
            headers = [c.replace("*", "").strip() for c in cells]
            table.headers = headers
            continue
        if len(table.rows) >= max_rows:
            raise _file_error(TOO_MANY_ROWS % {"n": max_rows})
        if any(len(c) > MAX_CELL_CHARS for c in cells):
            raise _file_error(CELL_TOO_LONG % {"row": number, "n": f"{MAX_CELL_CHARS:,}"})
        values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers) if h}
        table.rows.append((number, values))
    return table


def _read_csv(data: bytes, max_rows: int) -> Table:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _file_error(BAD_ENCODING)
    try:
        return _rows_from_matrix(csv.reader(io.StringIO(text, newline="")), max_rows)
    except csv.Error:
        raise _file_error(BROKEN_FILE) from None


def _check_unpacked(data: bytes) -> None:
    """Refuse a zip bomb from the archive's own directory, before a byte is unpacked: the probe's 820 KB .xlsx held
    one 800 MB cell and grew the web process to 1.76 GB."""
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _file_error(BROKEN_FILE) from None
    too_large = _file_error(UNPACKS_TOO_LARGE % {"mb": round(limit / 1024 / 1024)})
    if sum(m.file_size for m in members) > limit:
        raise too_large
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise too_large


def _check_dimensions(ws: Any, max_rows: int) -> None:
    """Refuse a sheet that declares more rows than we take, from its <dimension> element, before reading them
    (a 3-million-row file took 29 s to be refused at row 200,000)."""
    try:
        declared = ws.max_row
    except (ValueError, TypeError, AttributeError):
        return  # no usable dimension: the row count is checked while reading
    if declared is not None and declared - 1 > max_rows:
        raise _file_error(TOO_MANY_ROWS % {"n": max_rows})


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    if not data.startswith(b"PK\x03\x04"):
        raise _file_error(BROKEN_FILE)
    _check_unpacked(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException, XML errors)
        raise _file_error(BROKEN_FILE) from None
    try:
        ws = wb.worksheets[0]
        _check_dimensions(ws, max_rows)
        return _rows_from_matrix(ws.iter_rows(values_only=True), max_rows)
    except ValidationFailed:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        raise _file_error(BROKEN_FILE) from None
    finally:
        wb.close()


def read_table(data: bytes, name: str, columns: Sequence[Column]) -> Table:
    """Parse an upload and check it: type, size, encoding, headers, row count. Raise ValidationFailed
    on the field ``file`` with a message the uploader can act on."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise _file_error(TOO_LARGE % {"mb": round(settings.IMPORT_MAX_BYTES / 1024 / 1024, 1)})
    suffix = PurePath(name or "").suffix.lower()
    if suffix == ".xlsx":
        table = _read_xlsx(data, settings.IMPORT_MAX_ROWS)
    elif suffix == ".csv":
        table = _read_csv(data, settings.IMPORT_MAX_ROWS)
    else:
        raise _file_error(UNSUPPORTED_TYPE)
    missing = [c.header for c in columns if c.required and c.header not in table.headers]
    if missing:
        raise _file_error(MISSING_COLUMNS % {"columns": "、".join(missing)})
    if not table.rows:
        raise _file_error(EMPTY_FILE)
    real = [(number, values) for number, values in table.rows if not is_example_row(values, columns)]
    if not real:
        raise _file_error(ONLY_EXAMPLE)
    table.rows = real
    return table


def is_example_row(values: dict[str, str], columns: Sequence[Column]) -> bool:
    """The template's example, copied unchanged (templates before issue 12 held it on the data sheet, and users
    copy it from the instructions sheet): every column with an example holds exactly it, the others are empty.
    Such a row is never data — its id number is made up — so it is left out, not reported."""
    if not any(c.example for c in columns):
        return False
    return all((values.get(c.header) or "").strip() == c.example for c in columns)


# --- jobs: create, run, read ------------------------------------------------------------------


def _common_path(paths: Sequence[str]) -> str:
    """The deepest node above every path ("/1/7/" and "/1/9/" → "/1/")."""
    parts = [p.strip("/").split("/") for p in collapse_paths(paths)]
    if not parts:
        return ""
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return "/" + "/".join(common) + "/" if common else "/"


def import_job_create(*, actor: Any, kind: str, upload: Any) -> ImportJob:
    """上传导入文件: check the file now, store it, and queue the job. A bad file writes nothing."""
    cls = importer_for(kind)
    if actor is None or not actor.is_authenticated or not actor.has_perm_anywhere(cls.permission):
        raise PermissionDenied()
    if upload is None:
        raise ValidationFailed({"file": NO_FILE})
    size = getattr(upload, "size", None)
    if size is not None and size > settings.IMPORT_MAX_BYTES:
        raise _file_error(TOO_LARGE % {"mb": round(settings.IMPORT_MAX_BYTES / 1024 / 1024, 1)})
    data = upload.read(settings.IMPORT_MAX_BYTES + 1)
    name = str(getattr(upload, "name", "") or "")
    table = read_table(data, name, cls.columns)
    suffix = PurePath(name).suffix.lower()
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            original_name=scrub(PurePath(name).name)[:200],
            total_rows=len(table.rows),
            created_by=actor,
            region_path=_common_path(actor.region_paths_for(cls.permission)),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        # A random stored name: an uploaded file name may itself hold personal data.
        job.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(data), save=False)
        job.save()
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id))
    return job


def _enqueue(job_id: int) -> None:
    from jishiyu.core.tasks import import_job_task  # the task module imports this one

    import_job_task(job_id)


def _column_for(importer: Importer, exc: DomainError) -> list[tuple[str, str]]:
    errors = exc.errors or {"": [exc.message]}
    result = []
    for fld, messages in errors.items():
        column = importer.field_columns.get(fld, fld if fld else "")
        for message in messages:
            result.append((column, str(message)))
    return result


def import_job_run(job_id: int, *, on_progress: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """执行导入: every row in its own savepoint; progress saved every PROGRESS_EVERY rows. The reasons a row
    is refused are kept in the language the uploader used (the background worker has no request)."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.PENDING:
        return job  # already run (a retried task must not import twice)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _run(job, on_progress)


def _run(job: ImportJob, on_progress: Callable[[ImportJob], None] | None) -> ImportJob:
    job.status, job.started_at = ImportJob.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        cls = importer_for(job.kind)
        with job.file.open("rb") as fh:
            data = fh.read()
        table = read_table(data, job.file.name, cls.columns)
        importer = cls(job.created_by)
    except DomainError as exc:
        return _fail(job, str(exc.message))
    errors: list[dict[str, Any]] = []
    failed_rows: list[dict[str, Any]] = []
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0, "failed": 0}
    job.total_rows = len(table.rows)
    for start in range(0, len(table.rows), PROGRESS_EVERY):
        chunk = table.rows[start : start + PROGRESS_EVERY]
        with transaction.atomic():
            for (number, values), (outcome, row_errors) in zip(chunk, _import_chunk(importer, chunk), strict=True):
                if row_errors:
                    counts["failed"] += 1
                    if len(errors) < MAX_STORED_ERRORS:
                        failed_rows.append({"row": number, "cells": masked_cells(cls.columns, values)})
                    for column, message in row_errors:
                        if len(errors) < MAX_STORED_ERRORS:
                            errors.append({"row": number, "column": column, "message": scrub(message)})
                else:
                    counts[outcome] += 1
        job.processed = start + len(chunk)
        job.created, job.updated, job.unchanged, job.failed = (
            counts[CREATED],
            counts[UPDATED],
            counts[UNCHANGED],
            counts["failed"],
        )
        job.errors, job.failed_rows = errors, failed_rows
        job.save(
            update_fields=[
                "processed",
                "created",
                "updated",
                "unchanged",
                "failed",
                "errors",
                "failed_rows",
                "total_rows",
            ]
        )
        if on_progress is not None:
            on_progress(job)
    if counts["failed"] > len(errors):
        job.message = str(MORE_ERRORS)
    job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
    job.save(update_fields=["status", "finished_at", "message"])
    importer.finish(job)
    _discard_upload(job)
    return job


def mask_cell(column: Column, value: str) -> str:
    """A cell as the error report may repeat it: id numbers 3201**********1234, phones 139****0001, and any
    number of either kind written inside other text scrubbed."""
    value = (value or "").strip()
    if column.personal == ID_NUMBER:
        return mask_id_number(value)
    if column.personal == PHONE_NUMBER:
        return mask_phone(value)
    return scrub(value)


def masked_cells(columns: Sequence[Column], values: dict[str, str]) -> list[str]:
    """A failed row's cells in the template's column order, masked (what the job keeps to write the error report)."""
    return [mask_cell(c, values.get(c.header, "")) for c in columns]


def _import_chunk(importer: Importer, chunk: Sequence[tuple[int, dict[str, str]]]) -> list[RowOutcome]:
    """The chunk at once when the importer can (``import_chunk``), else (or when that fails) row by row."""
    try:
        with transaction.atomic():
            outcomes = importer.import_chunk(chunk)
    except Exception:  # e.g. a row delivered meanwhile by another path: each row on its own says which
        logger.info("bulk import of a chunk of %s fell back to one row at a time", importer.kind, exc_info=True)
        outcomes = None
    if outcomes is None:
        outcomes = [_import_one(importer, number, values) for number, values in chunk]
    return outcomes


def errors_of(importer: Importer, exc: Exception) -> list[tuple[str, str]]:
    """A refused row's errors by column (RowError, DomainError); any other exception is raised again."""
    if isinstance(exc, RowError):
        return [(column, str(message)) for column, message in exc.faults]
    if isinstance(exc, DomainError):
        return _column_for(importer, exc)
    raise exc


def _import_one(importer: Importer, number: int, values: dict[str, str]) -> RowOutcome:
    try:
        with transaction.atomic():
            return importer.import_row(number, values), []
    except (RowError, DomainError) as exc:
        return "", errors_of(importer, exc)
    except Exception:  # one broken row must not stop the others; logs mask personal data
        logger.exception("import row %s of %s failed", number, importer.kind)
        return "", [("", str(ROW_FAILED))]


def _fail(job: ImportJob, message: str) -> ImportJob:
    job.status, job.finished_at, job.message = ImportJob.Status.FAILED, timezone.now(), scrub(message)[:300]
    job.save(update_fields=["status", "finished_at", "message"])
    _discard_upload(job)
    return job


def _discard_upload(job: ImportJob) -> None:
    """The uploaded file holds plain id numbers and phones: delete it once the job has ended. What remains is
    the job's counts and its masked error list (the error report is made from those)."""
    if not job.file:
        return
    try:
        job.file.delete(save=False)
    except OSError:
        logger.warning("import job %s: the uploaded file could not be deleted", job.pk)
    ImportJob.objects.filter(pk=job.pk).update(file="")


def _visible_q(actor: Any) -> Q:
    q = Q(created_by_id=actor.pk)
    for kind, cls in importers().items():
        q |= Q(kind=kind) & subtree_q("region_path", actor.region_paths_for(cls.permission))
    return q


def import_job_list(*, actor: Any) -> QuerySet[ImportJob]:
    """导入任务列表: the actor's own jobs and those made within their scope."""
    if actor is None or not actor.is_authenticated:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(_visible_q(actor)).select_related("created_by")


def import_job_get(*, actor: Any, job_id: Any) -> ImportJob:
    """导入任务: NotFound when missing or not visible (the same answer)."""
    try:
        return import_job_list(actor=actor).get(pk=int(job_id))
    except (ImportJob.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- spreadsheets out: templates and error reports --------------------------------------------


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def import_template_xlsx(kind: str) -> bytes:
    """导入模板: the data sheet holds the headers only (what a user types under them is all that is imported);
    the instructions sheet (填写说明及示例) explains each column and shows an example row, as government templates
    do. A user who copies the example onto the data sheet unchanged still imports nothing of it (``is_example_row``)."""
    cls = importer_for(kind)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = gettext("Data")
    ws.append([c.header + ("*" if c.required else "") for c in cls.columns])
    for i, column in enumerate(cls.columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, len(column.header) * 3 + 4)
        ws.cell(row=1, column=i).font = Font(bold=True)
        # Text format keeps long numbers (id numbers, phones) from turning into 3.2e17.
        for row in range(2, 1002):
            ws.cell(row=row, column=i).number_format = "@"
    ws.freeze_panes = "A2"
    guide = wb.create_sheet(gettext("Instructions and example"))
    bold = Font(bold=True)
    guide.append([gettext("Enter your rows on the first sheet, under its headers; columns marked * are required.")])
    guide.append([gettext("This sheet is not imported. The example below only shows the format: it is not data.")])
    guide.append([])
    guide.append([gettext("Column"), gettext("Required"), gettext("What to enter"), gettext("Example")])
    for cell in guide[guide.max_row]:
        cell.font = bold
    for column in cls.columns:
        guide.append(
            [column.header, gettext("Yes") if column.required else gettext("No"), str(column.help), column.example]
        )
    guide.append([])
    guide.append([gettext("Example row (not imported)")])
    guide.cell(row=guide.max_row, column=1).font = bold
    guide.append([c.header for c in cls.columns])
    guide.append([c.example for c in cls.columns])
    guide.column_dimensions["C"].width = 80
    guide.column_dimensions["D"].width = 24
    return _save(wb)


def import_errors_xlsx(job: ImportJob) -> bytes:
    """错误报告: the first sheet repeats each refused row — its row number, its cells with id numbers and phones
    masked, and every reason it was refused — so the user can correct the rows and upload them again (masked
    cells must be typed in again); the second lists each fault by row and column. Everything in it was masked
    when the job kept it, and is scrubbed again here."""
    try:
        columns: Sequence[Column] = importer_for(job.kind).columns
    except ValidationFailed:  # a kind no longer installed: its faults are still listed
        columns = ()
    reasons: dict[Any, list[str]] = {}
    for err in job.errors:
        column, message = scrub(str(err.get("column", ""))), scrub(str(err.get("message", "")))
        reasons.setdefault(err.get("row"), []).append(f"{column}：{message}" if column else message)
    wb = Workbook(write_only=True)
    rows = wb.create_sheet(gettext("Failed rows"))
    rows.append([gettext("Row"), *(c.header for c in columns), gettext("Reasons")])
    for failed in job.failed_rows:
        cells = [scrub(str(c)) for c in failed.get("cells", [])][: len(columns)]
        cells += [""] * (len(columns) - len(cells))
        rows.append([failed.get("row"), *cells, "；".join(reasons.get(failed.get("row"), []))])
    ws = wb.create_sheet(gettext("Errors"))
    ws.append([gettext("Row"), gettext("Column"), gettext("Message")])
    for err in job.errors:
        ws.append([err.get("row"), scrub(str(err.get("column", ""))), scrub(str(err.get("message", "")))])
    return _save(wb)
