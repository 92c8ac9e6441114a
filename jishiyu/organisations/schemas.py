"""API schemas of the organisations app."""

from datetime import date
from typing import Any

from ninja import Field, Schema


class OrganisationOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    region_id: int
    region_name: str
    credit_code: str
    public_fundraising: bool
    parent_id: int | None
    contact_name: str
    description: str
    active: bool

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return str(obj.region.name)


class OrganisationCreateIn(Schema):
    kind: str
    name: str = Field(..., max_length=120)
    region_id: int
    credit_code: str = Field("", max_length=30)
    public_fundraising: bool = False
    parent_id: int | None = None
    contact_name: str = Field("", max_length=50)
    description: str = Field("", max_length=5000)


class OrganisationUpdateIn(Schema):
    kind: str | None = None
    name: str | None = Field(None, max_length=120)
    region_id: int | None = None
    credit_code: str | None = Field(None, max_length=30)
    public_fundraising: bool | None = None
    parent_id: int | None = None
    contact_name: str | None = Field(None, max_length=50)
    description: str | None = Field(None, max_length=5000)
    active: bool | None = None


class MembershipOut(Schema):
    id: int
    organisation_id: int
    user_id: int
    user_name: str
    user_phone: str = Field(..., description="masked: 138****5678")
    role: str
    since: date | None

    @staticmethod
    def resolve_user_name(obj: Any) -> str:
        return str(obj.user.name)

    @staticmethod
    def resolve_user_phone(obj: Any) -> str:
        return str(getattr(obj.user, "masked_phone", ""))


class MembershipAddIn(Schema):
    user_id: int
    role: str = "member"
    since: date | None = None
