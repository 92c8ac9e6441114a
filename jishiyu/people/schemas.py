"""API schemas of the people app. Outputs carry masked document and phone only."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from jishiyu.accounts.schemas import RegionRefOut  # one component of that name (test_openapi_names)
from jishiyu.people.models import Household, Ownership, Person, PersonTag, Residence


class TagOut(Schema):
    tag: str
    label: str
    disability_kind: str = ""
    disability_grade: int | None = None
    since: date | None = None
    note: str = ""

    @staticmethod
    def from_tag(t: PersonTag) -> dict[str, Any]:
        return {
            "tag": t.tag,
            "label": str(t.get_tag_display()),
            "disability_kind": t.disability_kind,
            "disability_grade": t.disability_grade,
            "since": t.since,
            "note": t.note,
        }


class PersonOut(Schema):
    """居民 (masked)."""

    id: int
    name: str
    gender: str
    # Masked like the id number it is part of (1962-**-**); the full date through POST …/reveal.
    birth_date_masked: str = Field(
        description='The date of birth masked like the id number ("1962-**-**"); replaces the former full '
        '`birth_date` (issue 12). The full date: POST /people/{id}/reveal with field "birth_date" and a reason.'
    )
    document_type: str
    document_masked: str
    phone_masked: str
    region: RegionRefOut
    household_id: int | None
    relation_to_head: str
    has_account: bool
    verified_at: datetime | None
    tags: list[TagOut]

    @staticmethod
    def resolve_region(obj: Person) -> dict[str, Any]:
        return {"id": obj.region_id, "name": obj.region.name}

    @staticmethod
    def resolve_has_account(obj: Person) -> bool:
        return obj.user_id is not None

    @staticmethod
    def resolve_tags(obj: Person) -> list[dict[str, Any]]:
        return [TagOut.from_tag(t) for t in obj.tags.all()]


class PersonCreateIn(Schema):
    name: str = Field(..., max_length=50)
    document_type: Person.DocumentType = Person.DocumentType.MAINLAND_ID
    document_number: str = Field("", max_length=40)
    phone: str = Field("", max_length=20)
    region_id: int | None = None
    dwelling_id: int | None = None
    household_id: int | None = None
    relation_to_head: str = Field("", max_length=20)
    gender: Literal["m", "f", ""] = ""
    birth_date: date | None = None
    tags: list[str] = Field(default_factory=list)


class PersonUpdateIn(Schema):
    name: str | None = Field(None, max_length=50)
    document_type: Person.DocumentType | None = None
    document_number: str | None = Field(None, max_length=40)
    phone: str | None = Field(None, max_length=20)
    region_id: int | None = None
    household_id: int | None = None
    relation_to_head: str | None = Field(None, max_length=20)
    gender: Literal["m", "f", ""] | None = None
    birth_date: date | None = None


class PersonRevealIn(Schema):
    field: Literal["document_number", "phone", "birth_date"]
    reason: str = Field("", max_length=300)


class PersonRevealOut(Schema):
    value: str


class PersonLookupIn(Schema):
    document_number: str = Field("", max_length=40)
    phone: str = Field("", max_length=20)


class PersonTagSetIn(Schema):
    tag: str = Field(..., max_length=24)
    disability_kind: str = Field("", max_length=16)
    disability_grade: int | None = None
    since: date | None = None
    note: str = Field("", max_length=200)


class PersonVerifyIn(Schema):
    user_id: int


class PersonFilterIn(Schema):
    name: str = ""
    tag: str = ""
    region: int | None = None
    verified: bool | None = None
    has_account: bool | None = None
    household: int | None = None


class PersonExportIn(PersonFilterIn):
    include_sensitive: bool = False
    reason: str = Field("", max_length=300)


class HouseholdOut(Schema):
    """户."""

    id: int
    number: str
    region: RegionRefOut
    dwelling_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_region(obj: Household) -> dict[str, Any]:
        return {"id": obj.region_id, "name": obj.region.name}


class HouseholdCreateIn(Schema):
    region_id: int | None = None
    dwelling_id: int | None = None
    number: str = Field("", max_length=40)


class OwnershipOut(Schema):
    """产权."""

    id: int
    person_id: int
    person_name: str
    dwelling_id: int
    share: Decimal
    representative: bool
    verified_at: datetime | None

    @staticmethod
    def resolve_person_name(obj: Ownership) -> str:
        return obj.person.name


class OwnershipAddIn(Schema):
    dwelling_id: int
    share: Decimal = Field(Decimal(1), max_digits=5, decimal_places=4)
    representative: bool | None = None


class ResidenceOut(Schema):
    """居住."""

    id: int
    person_id: int
    person_name: str
    dwelling_id: int
    since: date | None
    primary: bool

    @staticmethod
    def resolve_person_name(obj: Residence) -> str:
        return obj.person.name
