"""JSON API of resident self-service (个人信息保护法), mounted at /api/v1/me.

Resident: GET /data, PUT /consents/{purpose}, POST /requests, GET /requests.
Staff (permission "people.handle_request", scoped): GET /staff-requests[?status=open|done|refused|all],
GET /staff-requests/{id}, POST /staff-requests/{id}/handle."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from jishiyu.core.api import PageNumberPagination
from jishiyu.people.models import DataRequest, Person
from jishiyu.people.selfservice import (
    consent_set,
    data_request_create,
    data_request_get_staff,
    data_request_handle,
    data_request_list_own,
    data_request_list_staff,
    my_data,
)

router = Router(tags=["me"])


class MyOwnershipOut(Schema):
    dwelling: str
    share: Decimal
    representative: bool
    verified_at: datetime | None


class MyTagOut(Schema):
    tag: str
    label: str


class MyPersonOut(Schema):
    name: str
    document_type: str
    document_masked: str
    phone_masked: str
    region: str
    household: str | None
    relation_to_head: str
    residences: list[str]
    ownerships: list[MyOwnershipOut]
    tags: list[MyTagOut]
    verified_at: datetime | None
    verified_by: str | None


class ConsentOut(Schema):
    purpose: str
    label: str
    granted: bool
    updated_at: datetime | None = None


class RevealOut(Schema):
    at: datetime
    by: str
    fields: list[str]
    reason: str


class MyDataOut(Schema):
    person: MyPersonOut | None
    consents: list[ConsentOut]
    reveals: list[RevealOut]


class ConsentSetIn(Schema):
    granted: bool


class DataRequestCreateIn(Schema):
    kind: str
    detail: str


class DataRequestOut(Schema):
    id: int
    kind: str
    detail: str
    status: str
    created_at: datetime
    handled_at: datetime | None
    resolution: str


class StaffDataRequestOut(DataRequestOut):
    person_id: int
    person_name: str
    region: str

    @staticmethod
    def resolve_person_name(obj: DataRequest) -> str:
        return obj.person.name

    @staticmethod
    def resolve_region(obj: DataRequest) -> str:
        return obj.person.region.name


class DataRequestHandleIn(Schema):
    status: str
    resolution: str


def person_payload(person: Person) -> dict[str, Any]:
    return {
        "name": person.name,
        "document_type": person.document_type,
        "document_masked": person.document_masked,
        "phone_masked": person.phone_masked,
        "region": person.region.name,
        "household": person.household.number if person.household else None,
        "relation_to_head": person.relation_to_head,
        "residences": [str(r.dwelling) for r in person.residences.all()],
        "ownerships": [
            {
                "dwelling": str(o.dwelling),
                "share": o.share,
                "representative": o.representative,
                "verified_at": o.verified_at,
            }
            for o in person.ownerships.all()
        ],
        "tags": [{"tag": t.tag, "label": t.get_tag_display()} for t in person.tags.all()],
        "verified_at": person.verified_at,
        "verified_by": str(person.verified_by) if person.verified_by else None,
    }


@router.get("/data", response=MyDataOut, summary="What is held about me")
def me_data(request: HttpRequest) -> dict[str, Any]:
    data = my_data(actor=request.user)
    return {
        "person": person_payload(data.person) if data.person else None,
        "consents": [vars(c) for c in data.consents],
        "reveals": [
            {"at": e.at, "by": e.actor_label, "fields": sorted(e.changes), "reason": e.reason} for e in data.reveals
        ],
    }


@router.put("/consents/{purpose}", response=ConsentOut, summary="Grant or withdraw a consent")
def me_consent_set(request: HttpRequest, purpose: str, payload: ConsentSetIn) -> dict[str, Any]:
    consent = consent_set(actor=request.user, purpose=purpose, granted=payload.granted)
    return {
        "purpose": consent.purpose,
        "label": consent.get_purpose_display(),
        "granted": consent.granted,
        "updated_at": consent.updated_at,
    }


@router.post("/requests", response={201: DataRequestOut}, summary="Ask to correct or delete my data")
def me_request_create(request: HttpRequest, payload: DataRequestCreateIn) -> Status[DataRequest]:
    return Status(201, data_request_create(actor=request.user, kind=payload.kind, detail=payload.detail))


@router.get("/requests", response=list[DataRequestOut], summary="My requests and their status")
@paginate(PageNumberPagination)
def me_request_list(request: HttpRequest) -> object:
    return data_request_list_own(actor=request.user)


@router.get("/staff-requests", response=list[StaffDataRequestOut], summary="Data requests in my scope (staff)")
@paginate(PageNumberPagination)
def staff_request_list(request: HttpRequest, status: str = "open") -> object:
    return data_request_list_staff(actor=request.user, status=None if status == "all" else status)


@router.get("/staff-requests/{int:request_id}", response=StaffDataRequestOut, summary="One data request (staff)")
def staff_request_detail(request: HttpRequest, request_id: int) -> DataRequest:
    return data_request_get_staff(actor=request.user, request_id=request_id)


@router.post(
    "/staff-requests/{int:request_id}/handle", response=StaffDataRequestOut, summary="Handle a data request (staff)"
)
def staff_request_handle(request: HttpRequest, request_id: int, payload: DataRequestHandleIn) -> DataRequest:
    obj = data_request_get_staff(actor=request.user, request_id=request_id)
    return data_request_handle(actor=request.user, request=obj, status=payload.status, resolution=payload.resolution)
