"""Schemas of the dashboard API."""

from __future__ import annotations

from ninja import Schema


class RegionRefOut(Schema):
    id: int
    name: str
    kind: str


class FigureRowOut(Schema):
    region: RegionRefOut
    residents: int
    households: int
    dwellings: int
    verified_accounts: int
    tags: dict[str, int]
    drillable: bool


class TagOut(Schema):
    tag: str
    label: str


class FiguresOut(Schema):
    region: RegionRefOut
    ancestors: list[RegionRefOut]
    rows: list[FigureRowOut]
    total: FigureRowOut
    tags: list[TagOut]
    labels: dict[str, str]
