"""API schemas of the regions app."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from jishiyu.regions.selectors import buildings_count


class RegionBriefOut(Schema):
    id: int
    name: str
    kind: str


class RegionPathOut(RegionBriefOut):
    in_scope: bool


class RegionCodeOut(Schema):
    system: str
    code: str
    release: str


class RegionOut(Schema):
    id: int
    name: str
    kind: str
    community_kind: str
    parent_id: int | None
    depth: int
    division_code: str
    lon: float | None
    lat: float | None
    households: int | None
    children_count: int = 0
    buildings_count: int = 0

    @staticmethod
    def resolve_buildings_count(obj: Any) -> int:
        return buildings_count(obj)

    @staticmethod
    def resolve_children_count(obj: Any) -> int:
        return int(getattr(obj, "children_count", 0))


class RegionDetailOut(RegionOut):
    codes: list[RegionCodeOut]
    ancestors: list[RegionPathOut] = []
    geometry: dict[str, Any] | None

    @staticmethod
    def resolve_codes(obj: Any) -> list[Any]:
        return list(obj.codes.all())


class RegionCreateIn(Schema):
    kind: str
    name: str = Field(..., max_length=100)
    parent_id: int
    community_kind: str = ""
    nbs_code: str = ""
    geometry: dict[str, Any] | None = None
    households: int | None = Field(None, ge=0)


class RegionUpdateIn(Schema):
    """Only the fields sent change; ``parent_id`` moves the node with its subtree."""

    name: str | None = Field(None, max_length=100)
    parent_id: int | None = None
    community_kind: str | None = None
    nbs_code: str | None = None
    geometry: dict[str, Any] | None = None
    households: int | None = Field(None, ge=0)


class BuildingOut(Schema):
    id: int
    number: str
    name: str
    community_id: int
    grid_id: int | None
    compound_id: int | None
    region_id: int
    floors: int | None
    lon: float | None
    lat: float | None
    entrances_count: int = 0
    dwellings_count: int = 0


class DwellingOut(Schema):
    id: int
    number: str
    label: str
    entrance_number: str | None
    floor: int | None
    exclusive_area: Decimal | None
    area_source: str
    developer_held: bool

    @staticmethod
    def resolve_entrance_number(obj: Any) -> str | None:
        return obj.entrance.number if obj.entrance_id else None


class AddressResolveIn(Schema):
    address: str = Field(..., max_length=500)

    @field_validator("address")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Enter an address."))
        return value


class UnitOut(Schema):
    id: int
    number: str


class BuildingBriefOut(UnitOut):
    name: str = ""


class AddressResolveOut(Schema):
    region: RegionBriefOut | None
    path: list[RegionBriefOut]
    building: BuildingBriefOut | None
    entrance: UnitOut | None
    dwelling: UnitOut | None
    confidence: float
    matched: list[dict[str, Any]]
