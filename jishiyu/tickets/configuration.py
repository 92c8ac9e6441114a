"""The district's ticket settings (社区通配置): the category catalogue (事项分类), the time-limit policy table
(办理时限) and the holiday table (节假日, for years the calendar package does not cover yet).

Who: the district admin (``tickets.configure``) reads and writes; a district dispatcher (one who holds
``tickets.dispatch`` at the district itself) reads the staff pages; any staff member reads them through the
API. Each write is atomic, validated field by field with the messages below, and audited (the three models
are in ``jishiyu.audit.registry``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, TypeVar

import chinese_calendar
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import NotFound, PermissionDenied, ValidationFailed
from jishiyu.regions.models import Region
from jishiyu.tickets.catalogue import VERSION
from jishiyu.tickets.models import Category, Channel, Holiday, Kind, Source, TimeLimitPolicy, TimeUnit, Urgency

EDIT_PERMISSION = "tickets.configure"

REQUIRED = _("This field is required.")
TOO_LONG = _("Too long: at most %(max)d characters.")
NOT_A_CHOICE = _("Not one of the allowed values.")
NOT_A_NUMBER = _("Enter a whole number.")
OUT_OF_RANGE = _("Enter a number from %(min)d to %(max)d.")
NOT_A_DATE = _("Enter a date (YYYY-MM-DD).")
UNKNOWN = _("This does not exist.")
BAD_CODE = _("Use letters, digits, “-” and “_” only.")
CODE_TAKEN = _("Another category of version %(version)s already has this code.")
PARENT_SELF = _("A category cannot be its own parent, nor sit under one of its own subcategories.")
PARENT_DOMAIN = _("The parent must be of the same domain.")
ENDS_BEFORE_START = _("The end must be on or after the start.")
POLICY_OVERLAP = _(
    "Policy #%(id)s already covers the same source, channel, kind, urgency and category on some of these dates."
)
HOLIDAY_TAKEN = _("This date is already in the table.")
YEAR_COVERED = _(
    "The calendar package already covers %(year)d: its official holidays and make-up workdays apply, "
    "so this row would have no effect."
)


# --- who may ----------------------------------------------------------------------------------------


def may_edit(actor: Any) -> bool:
    return bool(actor is not None and actor.is_authenticated and actor.has_perm_anywhere(EDIT_PERMISSION))


def may_view_pages(actor: Any) -> bool:
    """The district admin, or a dispatcher of the whole district (派单 at the district node itself)."""
    if may_edit(actor):
        return True
    if actor is None or not actor.is_authenticated:
        return False
    paths = actor.region_paths_for("tickets.dispatch")
    return bool(paths) and Region.objects.filter(path__in=paths, kind=Region.Kind.DISTRICT).exists()


def may_read(actor: Any) -> bool:
    """Any staff member of tickets (the API's read endpoints)."""
    return bool(
        actor is not None
        and actor.is_authenticated
        and (actor.has_perm_anywhere("tickets.view") or actor.has_perm_anywhere("tickets.view_department"))
    )


def require_read(actor: Any) -> None:
    if not may_read(actor):
        raise NotFound()


def require_edit(actor: Any) -> None:
    if not may_edit(actor):
        if may_read(actor):
            raise PermissionDenied()
        raise NotFound()


_M = TypeVar("_M", bound=models.Model)


def _one(qs: QuerySet[_M], pk: Any) -> _M:
    """One row by id, or NotFound (also for an id that is not a number)."""
    found = qs.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound()
    return found


# --- reading and checking one form's values ------------------------------------------------------------


class _Reader:
    """Reads a mapping of submitted values (page form or API body) field by field, collecting messages."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, list[Any]] = {}

    def fail(self, name: str, message: Any) -> None:
        self.errors.setdefault(name, []).append(message)

    def raw(self, name: str) -> Any:
        value = self.data.get(name)
        return value.strip() if isinstance(value, str) else value

    def text(self, name: str, *, max_length: int, required: bool = False) -> str:
        raw = self.raw(name)
        value = "" if raw is None else str(raw)
        if required and not value:
            self.fail(name, REQUIRED)
        elif len(value) > max_length:
            self.fail(name, TOO_LONG % {"max": max_length})
        return value

    def choice(self, name: str, choices: list[str], *, required: bool = False) -> str:
        value = self.text(name, max_length=64, required=required)
        if value and value not in choices:
            self.fail(name, NOT_A_CHOICE)
        return value

    def integer(self, name: str, *, minimum: int, maximum: int, default: int | None = None) -> int:
        value = self.raw(name)
        if value in (None, ""):
            if default is None:
                self.fail(name, REQUIRED)
                return minimum
            return default
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(name, NOT_A_NUMBER)
            return minimum
        if not minimum <= number <= maximum:
            self.fail(name, OUT_OF_RANGE % {"min": minimum, "max": maximum})
        return number

    def boolean(self, name: str, *, default: bool = False) -> bool:
        value = self.raw(name)
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("1", "true", "on", "yes")

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        value = self.raw(name)
        if value in (None, ""):
            if required:
                self.fail(name, REQUIRED)
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(name, NOT_A_DATE)
            return None

    def ref(self, name: str, qs: QuerySet[Any]) -> Any:
        value = self.raw(name)
        if value in (None, ""):
            return None
        if isinstance(value, models.Model):
            value = value.pk
        found = qs.filter(pk=value).first() if str(value).isdigit() else None
        if found is None:
            self.fail(name, UNKNOWN)
        return found

    def done(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


# --- the category catalogue (事项分类) -----------------------------------------------------------------


def category_list(*, actor: Any, version: str = "") -> QuerySet[Category]:
    """The catalogue, inactive categories included, parents before their children."""
    require_read(actor)
    qs = Category.objects.select_related("parent").order_by("domain", "version", "sort", "code")
    return qs.filter(version=version) if version else qs


def category_versions() -> list[str]:
    return sorted(set(Category.objects.values_list("version", flat=True)), reverse=True)


def category_get(*, actor: Any, category_id: Any) -> Category:
    require_read(actor)
    return _one(Category.objects.all(), category_id)


def _descendant_ids(category: Category) -> set[int]:
    ids: set[int] = set()
    frontier = {category.pk}
    while frontier:
        frontier = set(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    return ids


def category_save(*, actor: Any, data: Mapping[str, Any], category: Category | None = None) -> Category:
    """新增或修改事项分类. A category is retired by making it inactive (tickets keep pointing at it)."""
    require_edit(actor)
    r = _Reader(data)
    code = r.text("code", max_length=20, required=True)
    if code and not re.fullmatch(r"[A-Za-z0-9_\-]+", code):
        r.fail("code", BAD_CODE)
    name = r.text("name", max_length=60, required=True)
    name_en = r.text("name_en", max_length=100)
    domain = r.choice("domain", list(Category.Domain.values), required=True)
    version = r.text("version", max_length=16) or (category.version if category else VERSION)
    parent = r.ref("parent", Category.objects.all())
    keywords = r.text("keywords", max_length=255)
    sort = r.integer("sort", minimum=0, maximum=32767, default=0)
    active = r.boolean("active", default=True)
    if parent is not None:
        if category is not None and (parent.pk == category.pk or parent.pk in _descendant_ids(category)):
            r.fail("parent", PARENT_SELF)
        elif domain and parent.domain != domain:
            r.fail("parent", PARENT_DOMAIN)
    if code and "code" not in r.errors:
        taken = Category.objects.filter(code=code, version=version)
        if category is not None:
            taken = taken.exclude(pk=category.pk)
        if taken.exists():
            r.fail("code", CODE_TAKEN % {"version": version})
    r.done()
    with transaction.atomic():
        category = category or Category()
        category.code, category.name, category.domain, category.version = code, name, domain, version
        category.name_en = name_en
        category.parent, category.keywords, category.sort, category.active = parent, keywords, sort, active
        category.save()
    return category


# --- the time-limit policy table (办理时限) ---------------------------------------------------------------

MAX_HOURS = 24 * 366
MAX_WORKING_DAYS = 250


def time_limit_list(*, actor: Any) -> QuerySet[TimeLimitPolicy]:
    require_read(actor)
    return TimeLimitPolicy.objects.select_related("source", "category").order_by("-effective_from", "pk")


def time_limit_get(*, actor: Any, policy_id: Any) -> TimeLimitPolicy:
    return _one(time_limit_list(actor=actor), policy_id)


def _amount(r: _Reader, name: str, unit: str, default: int | None) -> int:
    maximum = MAX_HOURS if unit == TimeUnit.HOURS else MAX_WORKING_DAYS
    return r.integer(name, minimum=1, maximum=maximum, default=default)


def time_limit_save(*, actor: Any, data: Mapping[str, Any], policy: TimeLimitPolicy | None = None) -> TimeLimitPolicy:
    """新增或修改办理时限. Blank source, channel, kind, urgency or category means "any"; the most specific
    policy in force wins (deadlines.limits_for). Two policies with the same key may not overlap in time."""
    require_edit(actor)
    r = _Reader(data)
    name = r.text("name", max_length=100)
    channel = r.choice("channel", list(Channel.values))
    source = r.ref("source", Source.objects.all())
    kind = r.choice("kind", list(Kind.values))
    urgency = r.choice("urgency", list(Urgency.values))
    category = r.ref("category", Category.objects.all())
    unit = r.choice("unit", list(TimeUnit.values)) or TimeUnit.WORKING_DAYS
    amount = _amount(r, "amount", unit, None)
    sign_for_unit = r.choice("sign_for_unit", list(TimeUnit.values)) or TimeUnit.HOURS
    sign_for_amount = _amount(r, "sign_for_amount", sign_for_unit, 2)
    return_window = r.integer("return_window_hours", minimum=0, maximum=MAX_HOURS, default=24)
    warn_before = r.integer("warn_before_hours", minimum=0, maximum=MAX_HOURS, default=24)
    start = r.date("effective_from", required=True)
    end = r.date("effective_to")
    if start and end and end < start:
        r.fail("effective_to", ENDS_BEFORE_START)
    if start and not r.errors:
        clash = _overlapping(policy, source, channel, kind, urgency, category, start, end)
        if clash is not None:
            r.fail("effective_from", POLICY_OVERLAP % {"id": clash.pk})
    r.done()
    with transaction.atomic():
        policy = policy or TimeLimitPolicy()
        policy.name, policy.channel, policy.source, policy.kind = name, channel, source, kind
        policy.urgency, policy.category, policy.amount, policy.unit = urgency, category, amount, unit
        policy.sign_for_amount, policy.sign_for_unit = sign_for_amount, sign_for_unit
        policy.return_window_hours, policy.warn_before_hours = return_window, warn_before
        policy.effective_from, policy.effective_to = start, end  # type: ignore[assignment]
        policy.save()
    return policy


def _overlapping(
    policy: TimeLimitPolicy | None,
    source: Source | None,
    channel: str,
    kind: str,
    urgency: str,
    category: Category | None,
    start: dt.date,
    end: dt.date | None,
) -> TimeLimitPolicy | None:
    qs = TimeLimitPolicy.objects.filter(
        source=source, channel=channel, kind=kind, urgency=urgency, category=category
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
    if end is not None:
        qs = qs.filter(effective_from__lte=end)
    if policy is not None and policy.pk:
        qs = qs.exclude(pk=policy.pk)
    return qs.order_by("pk").first()


def time_limit_delete(*, actor: Any, policy: TimeLimitPolicy) -> None:
    """删除办理时限 (tickets keep the deadlines they were given)."""
    require_edit(actor)
    with transaction.atomic():
        policy.delete()


# --- the holiday table (节假日) ---------------------------------------------------------------------------


def year_covered(year: int) -> bool:
    """The calendar package knows the official holidays of this year."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def last_covered_year() -> int:
    """The last year the calendar package covers (the holiday table serves the years after it)."""
    year = dt.date.today().year - 1
    while year_covered(year + 1) and year < 2200:
        year += 1
    return year


def holiday_list(*, actor: Any) -> QuerySet[Holiday]:
    require_read(actor)
    return Holiday.objects.order_by("date")


def holiday_get(*, actor: Any, holiday_id: Any) -> Holiday:
    require_read(actor)
    return _one(Holiday.objects.all(), holiday_id)


def holiday_save(*, actor: Any, data: Mapping[str, Any], holiday: Holiday | None = None) -> Holiday:
    """新增或修改节假日: a day off, or a make-up workday (调休上班), in a year the calendar package does not cover."""
    require_edit(actor)
    r = _Reader(data)
    day = r.date("date", required=True)
    is_workday = r.boolean("is_workday")
    note = r.text("note", max_length=60)
    if day is not None:
        if year_covered(day.year):
            r.fail("date", YEAR_COVERED % {"year": day.year})
        else:
            taken = Holiday.objects.filter(date=day)
            if holiday is not None:
                taken = taken.exclude(pk=holiday.pk)
            if taken.exists():
                r.fail("date", HOLIDAY_TAKEN)
    r.done()
    with transaction.atomic():
        holiday = holiday or Holiday()
        holiday.date, holiday.is_workday, holiday.note = day, is_workday, note  # type: ignore[assignment]
        holiday.save()
    return holiday


def holiday_delete(*, actor: Any, holiday: Holiday) -> None:
    require_edit(actor)
    with transaction.atomic():
        holiday.delete()
