"""API schemas of the accounts app."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class TokenCreateIn(Schema):
    phone: str = Field(..., max_length=32)
    password: str = Field(..., max_length=128)
    code: str | None = Field(None, max_length=12)


class TokenOut(Schema):
    token: str
    expires_at: datetime


class RegionRefOut(Schema):
    id: int
    name: str


class RoleAssignmentOut(Schema):
    id: int
    role: str
    role_label: str
    region: RegionRefOut
    department_id: int | None = None


class MeOut(Schema):
    id: int
    name: str
    phone_masked: str
    language: str
    elder_mode: bool
    is_staff_member: bool
    roles: list[RoleAssignmentOut]


class StaffOut(Schema):
    id: int
    name: str
    phone_masked: str
    is_active: bool
    roles: list[RoleAssignmentOut]


class StaffCreateIn(Schema):
    phone: str = Field(..., max_length=32)
    name: str = Field(..., max_length=50)
    role: str = Field(..., max_length=32)
    region: int
    department: int | None = None


class RoleGrantIn(Schema):
    role: str = Field(..., max_length=32)
    region: int
    department: int | None = None


class LockoutOut(Schema):
    id: int
    phone_masked: str
    failures: int
    last_attempt_at: datetime
