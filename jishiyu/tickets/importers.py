"""Batch import of the 12345 hotline's spreadsheet export (12345 工单导入) through the shared import framework.

Each row goes the same path as a push (``hotline.ticket_receive``), so a row already delivered —
by a push or by an earlier, interrupted import of the same file — is UNCHANGED, never a second ticket.
Rows are committed in chunks by the framework: whatever it reported as processed is stored, and running
the file again after a crash fills in the rest without duplicating anything."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from jishiyu.core.imports import (
    CREATED,
    PHONE_NUMBER,
    UNCHANGED,
    Column,
    Importer,
    RowError,
    RowFaults,
    RowOutcome,
    errors_of,
    register,
)
from jishiyu.tickets import hotline
from jishiyu.tickets.models import Channel, Source

EXTERNAL_ID, RECEIVED_AT, CALLER, PHONE = "工单编号", "来电时间", "来电人", "联系电话"
ANONYMOUS, CONFIDENTIAL, KIND, CATEGORY = "是否匿名", "是否保密", "诉求类型", "诉求分类"
CONTENT, ADDRESS, LON, LAT, URGENCY, DUE_AT = "诉求内容", "事发地址", "经度", "纬度", "紧急程度", "办理时限"

NO_SOURCE = _("No active 12345 source exists: the district admin must create one first.")
BAD_DATETIME = _("Enter a date and time such as 2025-03-03 09:15.")
BAD_NUMBER = _("Enter a number.")
BAD_FLAG = _("Enter 是 or 否.")

YES, NO = {"是", "y", "yes", "true", "1"}, {"", "否", "n", "no", "false", "0"}


def _datetime(column: str, raw: str, *, required: bool = False) -> datetime | None:
    raw = raw.strip()
    if not raw:
        if required:
            raise RowError(column, BAD_DATETIME)
        return None
    value = parse_datetime(raw.replace("/", "-"))
    if value is None and len(raw) == 10:
        value = parse_datetime(raw.replace("/", "-") + "T00:00")
    if value is None:
        raise RowError(column, BAD_DATETIME)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _float(column: str, raw: str) -> float | None:
    if not raw.strip():
        return None
    try:
        return float(raw)
    except ValueError:
        raise RowError(column, BAD_NUMBER) from None


def _flag(column: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError(column, BAD_FLAG)


@register
class HotlineTicketImporter(Importer):
    """12345 工单导入."""

    kind = "tickets.hotline"
    label = _("12345 hotline tickets")
    permission = "tickets.dispatch"
    columns = (
        Column(
            EXTERNAL_ID,
            _("The hotline's ticket number; a number already imported is skipped."),
            "NJ2025030300012",
            True,
        ),
        Column(RECEIVED_AT, _("When the call came in."), "2025-03-03 09:15", True),
        Column(CALLER, _("The caller's name (left out when anonymous)."), "王先生"),
        Column(PHONE, _("The caller's phone."), "13912345678", personal=PHONE_NUMBER),
        Column(ANONYMOUS, _("是 or 否."), "否"),
        Column(CONFIDENTIAL, _("是 or 否."), "否"),
        Column(KIND, _("咨询, 求助, 投诉, 举报, 意见建议 or 表扬."), "投诉", True),
        Column(CATEGORY, _("A category code or name of the district's catalogue."), "物业管理"),
        Column(CONTENT, _("What the caller asked for."), "小区电梯停运三天。", True),
        Column(ADDRESS, _("Where it happens."), "雨花街道翠竹园小区5栋"),
        Column(LON, _("Longitude (WGS 84), optional."), ""),
        Column(LAT, _("Latitude (WGS 84), optional."), ""),
        Column(URGENCY, _("一般, 紧急 or 特急."), "一般"),
        Column(DUE_AT, _("The hotline's own deadline, optional."), ""),
    )
    field_columns = {
        "external_id": EXTERNAL_ID,
        "received_at": RECEIVED_AT,
        "caller_name": CALLER,
        "caller_phone": PHONE,
        "kind": KIND,
        "category": CATEGORY,
        "content": CONTENT,
        "address": ADDRESS,
        "lon": LON,
        "lat": LAT,
        "urgency": URGENCY,
        "due_at": DUE_AT,
    }

    def __init__(self, actor: object):
        super().__init__(actor)
        self.source = Source.objects.filter(channel=Channel.HOTLINE, active=True).order_by("pk").first()

    def intake_of(self, row: int, values: dict[str, str]) -> hotline.Intake:
        """One spreadsheet row as the request it stands for (RowError naming every cell that cannot be read)."""
        if self.source is None:
            raise RowError(EXTERNAL_ID, NO_SOURCE)
        faults = RowFaults(self)
        received_at = faults.check(_datetime, RECEIVED_AT, values.get(RECEIVED_AT, ""), required=True)
        anonymous = faults.check(_flag, ANONYMOUS, values.get(ANONYMOUS, ""))
        confidential = faults.check(_flag, CONFIDENTIAL, values.get(CONFIDENTIAL, ""))
        lon = faults.check(_float, LON, values.get(LON, ""))
        lat = faults.check(_float, LAT, values.get(LAT, ""))
        due_at = faults.check(_datetime, DUE_AT, values.get(DUE_AT, ""))
        if not values.get(EXTERNAL_ID, "").strip():
            faults.add(EXTERNAL_ID, hotline.EXTERNAL_ID_REQUIRED)
        if due_at and received_at and due_at < received_at:
            faults.add(DUE_AT, hotline.DUE_BEFORE_RECEIVED)
        intake = hotline.Intake(
            external_id=values.get(EXTERNAL_ID, "").strip() or "-",
            received_at=received_at,
            caller_name=values.get(CALLER, ""),
            caller_phone=values.get(PHONE, ""),
            anonymous=bool(anonymous),
            confidential=bool(confidential),
            kind=values.get(KIND, ""),
            category=values.get(CATEGORY, ""),
            content=values.get(CONTENT, ""),
            address=values.get(ADDRESS, ""),
            lon=lon,
            lat=lat,
            urgency=values.get(URGENCY, ""),
            due_at=due_at if not faults.failed(DUE_AT) else None,
        )
        if faults.failed():
            # The row is refused anyway: the intake service's own checks (content, kind, phone, ...) are added,
            # so the uploader sees every fault of the row at once.
            faults.check(hotline.intake_validate, source=self.source, intake=intake)
            faults.raise_any()
        return dataclasses.replace(intake, external_id=values.get(EXTERNAL_ID, ""))

    def import_row(self, row: int, values: dict[str, str]) -> str:
        _ticket, created = hotline.ticket_receive(source=self.source, intake=self.intake_of(row, values))  # type: ignore[arg-type]
        return CREATED if created else UNCHANGED

    def import_chunk(self, rows: Sequence[tuple[int, dict[str, str]]]) -> list[RowOutcome] | None:
        """A chunk at once: the rows read one by one, then one query for the ids already delivered and one
        insert per table (``hotline.tickets_receive_bulk``)."""
        outcomes: list[RowOutcome | None] = []
        intakes: list[hotline.Intake] = []
        for number, values in rows:
            try:
                intakes.append(self.intake_of(number, values))
                outcomes.append(None)
            except RowError as exc:
                outcomes.append(("", errors_of(self, exc)))
        received = iter(hotline.tickets_receive_bulk(source=self.source, intakes=intakes)) if intakes else iter(())  # type: ignore[arg-type]
        result: list[RowOutcome] = []
        for outcome in outcomes:
            if outcome is not None:
                result.append(outcome)
                continue
            done = next(received)
            if done.error is not None:
                result.append(("", errors_of(self, done.error)))
            else:
                result.append((UNCHANGED if done.known else CREATED, []))
        return result
