"""Schemas of the dashboard API."""

from __future__ import annotations

from ninja import Schema


class FigureRegionOut(Schema):
    id: int
    name: str
    kind: str


class FigureRowOut(Schema):
    region: FigureRegionOut
    residents: int
    households: int
    dwellings: int
    verified_accounts: int
    tags: dict[str, int]
    drillable: bool


class FigureTagOut(Schema):
    tag: str
    label: str


class FiguresOut(Schema):
    region: FigureRegionOut
    ancestors: list[FigureRegionOut]
    rows: list[FigureRowOut]
    total: FigureRowOut
    tags: list[FigureTagOut]
    labels: dict[str, str]
