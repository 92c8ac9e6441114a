"""JSON API of the district's ticket settings (mounted under /api/v1/tickets/settings): the category
catalogue, the time-limit policy table and the holiday table. Staff read; the district admin writes.
Thin: every rule is in ``jishiyu.tickets.configuration``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from jishiyu.tickets import configuration as conf
from jishiyu.tickets.models import Category, Holiday, TimeLimitPolicy
from jishiyu.tickets.schemas import CategoryOut

settings_router = Router(tags=["tickets settings"])


class CategoryIn(Schema):
    code: str
    name: str
    name_en: str = ""
    domain: str
    parent: int | None = None
    version: str = ""
    keywords: str = ""
    sort: int = 0
    active: bool = True


class CategorySettingOut(CategoryOut):
    keywords: str
    sort: int
    active: bool


class TimeLimitIn(Schema):
    name: str = ""
    channel: str = ""
    source: int | None = None
    kind: str = ""
    urgency: str = ""
    category: int | None = None
    amount: int
    unit: str = "working_days"
    sign_for_amount: int = 2
    sign_for_unit: str = "hours"
    return_window_hours: int = 24
    warn_before_hours: int = 24
    effective_from: dt.date
    effective_to: dt.date | None = None


class TimeLimitOut(Schema):
    id: int
    name: str
    channel: str
    source_id: int | None = None
    kind: str
    urgency: str
    category_id: int | None = None
    amount: int
    unit: str
    sign_for_amount: int
    sign_for_unit: str
    return_window_hours: int
    warn_before_hours: int
    effective_from: dt.date
    effective_to: dt.date | None = None


class HolidayIn(Schema):
    date: dt.date
    is_workday: bool = False
    note: str = ""


class HolidayOut(Schema):
    id: int
    date: dt.date
    is_workday: bool
    note: str


# --- categories -------------------------------------------------------------------------------------


@settings_router.get("/categories", response=list[CategorySettingOut], summary="The whole catalogue (事项分类)")
def category_list(request: HttpRequest, version: str = "") -> Any:
    """Every category, inactive ones included (the public ``/tickets/categories`` lists the active ones)."""
    return list(conf.category_list(actor=request.user, version=version))


@settings_router.post("/categories", response={201: CategorySettingOut}, summary="Add a category")
def category_create(request: HttpRequest, payload: CategoryIn) -> Any:
    return Status(201, conf.category_save(actor=request.user, data=payload.dict()))


@settings_router.put("/categories/{int:category_id}", response=CategorySettingOut, summary="Change a category")
def category_update(request: HttpRequest, category_id: int, payload: CategoryIn) -> Category:
    category = conf.category_get(actor=request.user, category_id=category_id)
    return conf.category_save(actor=request.user, data=payload.dict(), category=category)


# --- time limits ------------------------------------------------------------------------------------


@settings_router.get("/time-limits", response=list[TimeLimitOut], summary="Time-limit policies (办理时限)")
def time_limit_list(request: HttpRequest) -> Any:
    return list(conf.time_limit_list(actor=request.user))


@settings_router.post("/time-limits", response={201: TimeLimitOut}, summary="Add a time-limit policy")
def time_limit_create(request: HttpRequest, payload: TimeLimitIn) -> Any:
    return Status(201, conf.time_limit_save(actor=request.user, data=payload.dict()))


@settings_router.put("/time-limits/{int:policy_id}", response=TimeLimitOut, summary="Change a time-limit policy")
def time_limit_update(request: HttpRequest, policy_id: int, payload: TimeLimitIn) -> TimeLimitPolicy:
    policy = conf.time_limit_get(actor=request.user, policy_id=policy_id)
    return conf.time_limit_save(actor=request.user, data=payload.dict(), policy=policy)


@settings_router.delete("/time-limits/{int:policy_id}", response={204: None}, summary="Delete a time-limit policy")
def time_limit_delete(request: HttpRequest, policy_id: int) -> Any:
    conf.time_limit_delete(actor=request.user, policy=conf.time_limit_get(actor=request.user, policy_id=policy_id))
    return Status(204, None)


# --- holidays ---------------------------------------------------------------------------------------


@settings_router.get("/holidays", response=list[HolidayOut], summary="The holiday table (节假日)")
def holiday_list(request: HttpRequest) -> Any:
    """Days off and make-up workdays for years the calendar package does not cover yet."""
    return list(conf.holiday_list(actor=request.user))


@settings_router.post("/holidays", response={201: HolidayOut}, summary="Add a day off or a make-up workday")
def holiday_create(request: HttpRequest, payload: HolidayIn) -> Any:
    return Status(201, conf.holiday_save(actor=request.user, data=payload.dict()))


@settings_router.put("/holidays/{int:holiday_id}", response=HolidayOut, summary="Change a holiday row")
def holiday_update(request: HttpRequest, holiday_id: int, payload: HolidayIn) -> Holiday:
    holiday = conf.holiday_get(actor=request.user, holiday_id=holiday_id)
    return conf.holiday_save(actor=request.user, data=payload.dict(), holiday=holiday)


@settings_router.delete("/holidays/{int:holiday_id}", response={204: None}, summary="Delete a holiday row")
def holiday_delete(request: HttpRequest, holiday_id: int) -> Any:
    conf.holiday_delete(actor=request.user, holiday=conf.holiday_get(actor=request.user, holiday_id=holiday_id))
    return Status(204, None)
