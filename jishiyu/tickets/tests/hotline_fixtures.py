"""Fixtures shared by the 12345 / Open311 / callback / import tests (import them into a test module)."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.tickets.hotline import SourceCredentials, source_create
from jishiyu.tickets.models import Category, Channel

CITY_URL = "http://city.invalid/12345/callback"


@pytest.fixture
def category(db: Any) -> Category:
    return Category.objects.create(
        code="ZZ901", name="电梯故障（测试）", domain=Category.Domain.SOCIAL, keywords="物业 电梯"
    )


@pytest.fixture
def hotline_source(personas: dict[str, Any]) -> SourceCredentials:
    return source_create(
        actor=personas["district_admin"], name="南京12345", channel=Channel.HOTLINE, callback_url=CITY_URL
    )


@pytest.fixture
def open311_source(personas: dict[str, Any]) -> SourceCredentials:
    return source_create(actor=personas["district_admin"], name="Open311 客户端", channel=Channel.OPEN311)


def push_payload(external_id: str = "NJ12345-0001", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": external_id,
        "received_at": "2025-03-03T09:15:00+08:00",
        "caller": {"name": "王先生", "phone": "13912345678"},
        "anonymous": False,
        "confidential": False,
        "kind": "投诉",
        "category": "电梯故障（测试）",
        "content": "小区电梯停运三天，物业不处理。",
        "address": "雨花街道翠竹园小区5栋",
        "lon": None,
        "lat": None,
        "urgency": "normal",
    }
    body.update(overrides)
    return body
