"""Schemas of the circles API (幸福圈接口)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class FacilityCreateIn(Schema):
    region_id: int
    category: str
    name: str
    lon: float
    lat: float


class FacilityUpdateIn(Schema):
    category: str | None = None
    name: str | None = None
    lon: float | None = None
    lat: float | None = None
    active: bool | None = None


class FacilityOut(Schema):
    id: int
    region_id: int
    category: str
    circle: str
    name: str
    lon: float
    lat: float
    source: str
    active: bool
    retired_at: datetime | None = Field(None, description="when a newer OpenStreetMap extract no longer held it")


class RunOut(Schema):
    id: int
    region_id: int
    status: str
    progress: int
    message: str


class CoverageRequestIn(Schema):
    region_id: int
