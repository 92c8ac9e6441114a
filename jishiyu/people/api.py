"""JSON API of the people app (mounted under /api/v1/people). Thin: parse, call a selector or a
service, answer. Document numbers and phones travel only in POST bodies and only masked outward,
except the audited reveal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.pagination import paginate

from jishiyu.accounts.models import User
from jishiyu.core.api import PageNumberPagination
from jishiyu.core.errors import NotFound, ValidationFailed
from jishiyu.core.exports import xlsx_response
from jishiyu.people import selectors, services
from jishiyu.people.schemas import (
    HouseholdCreateIn,
    HouseholdOut,
    OwnershipAddIn,
    OwnershipOut,
    PersonCreateIn,
    PersonExportIn,
    PersonLookupIn,
    PersonOut,
    PersonRevealIn,
    PersonRevealOut,
    PersonTagSetIn,
    PersonUpdateIn,
    PersonVerifyIn,
    ResidenceOut,
    TagOut,
)
from jishiyu.regions.models import Dwelling, Region

router = Router(tags=["people"])

UNKNOWN_REGION = _("Unknown region.")
UNKNOWN_DWELLING = _("Unknown dwelling.")
UNKNOWN_HOUSEHOLD = _("Unknown household.")
UNKNOWN_ACCOUNT = _("Unknown account.")


def _region(region_id: int | None, field: str = "region_id") -> Region | None:
    if region_id is None:
        return None
    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        raise ValidationFailed({field: UNKNOWN_REGION})
    return region


def _dwelling(actor: Any, dwelling_id: int | None, field: str = "dwelling_id") -> Dwelling | None:
    if dwelling_id is None:
        return None
    try:
        return selectors.dwelling_get(actor=actor, dwelling_id=dwelling_id, permission="people.change")
    except NotFound:
        raise ValidationFailed({field: UNKNOWN_DWELLING}) from None


def _household(actor: Any, household_id: int | None, field: str = "household_id") -> Any:
    if household_id is None:
        return None
    try:
        return selectors.household_get(actor=actor, household_id=household_id, permission="people.change")
    except NotFound:
        raise ValidationFailed({field: UNKNOWN_HOUSEHOLD}) from None


def _refetch(request: HttpRequest, person_id: int) -> Any:
    return selectors.person_get(actor=request.user, person_id=person_id)


# --- people ----------------------------------------------------------------------------------


@router.get("", response=list[PersonOut], summary="List people (居民列表)")
@paginate(PageNumberPagination)
def person_list(
    request: HttpRequest,
    name: str = "",
    tag: str = "",
    region: int | None = None,
    verified: bool | None = None,
    has_account: bool | None = None,
    household: int | None = None,
) -> Any:
    filters = selectors.PersonFilters(
        name=name.strip(), tag=tag, region=region, verified=verified, has_account=has_account, household=household
    )
    return selectors.person_list(actor=request.user, filters=filters)


@router.post("", response={201: PersonOut}, summary="Register a person (登记居民)")
def person_create(request: HttpRequest, payload: PersonCreateIn) -> Any:
    actor = request.user
    person = services.person_create(
        actor=actor,
        name=payload.name,
        document_type=payload.document_type,
        document_number=payload.document_number,
        phone=payload.phone,
        region=_region(payload.region_id),
        dwelling=_dwelling(actor, payload.dwelling_id),
        household=_household(actor, payload.household_id),
        relation_to_head=payload.relation_to_head,
        gender=payload.gender,
        birth_date=payload.birth_date,
        tags=payload.tags,
    )
    return Status(201, _refetch(request, person.pk))


@router.post("/lookup", response=PersonOut, summary="Find by document or phone (POST: never in a URL)")
def person_lookup(request: HttpRequest, payload: PersonLookupIn) -> Any:
    person = services.person_lookup(actor=request.user, document_number=payload.document_number, phone=payload.phone)
    return _refetch(request, person.pk)


@router.post("/export", summary="Export the filtered list to .xlsx (audited)")
def person_export(request: HttpRequest, payload: PersonExportIn) -> HttpResponse:
    data = payload.dict()
    export = services.person_export(
        actor=request.user,
        filters=selectors.PersonFilters.from_mapping(data),
        include_sensitive=payload.include_sensitive,
        reason=payload.reason,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(f"people-{stamp}.xlsx", export.headers, export.rows)


@router.get("/{int:person_id}", response=PersonOut, summary="One person (居民详情)")
def person_detail(request: HttpRequest, person_id: int) -> Any:
    return selectors.person_get(actor=request.user, person_id=person_id)


@router.patch("/{int:person_id}", response=PersonOut, summary="Change a person (修改居民信息)")
def person_update(request: HttpRequest, person_id: int, payload: PersonUpdateIn) -> Any:
    actor = request.user
    person = selectors.person_get(actor=actor, person_id=person_id)
    sent = payload.dict(exclude_unset=True)
    changes: dict[str, Any] = {}
    for key in ("name", "document_type", "document_number", "phone", "relation_to_head", "gender", "birth_date"):
        if key in sent:
            changes[key] = sent[key] if sent[key] is not None else ""
    if "birth_date" in sent:
        changes["birth_date"] = sent["birth_date"]
    if sent.get("region_id") is not None:
        changes["region"] = _region(sent["region_id"])
    if "household_id" in sent:
        changes["household"] = _household(actor, sent["household_id"])
    services.person_update(actor=actor, person=person, **changes)
    return _refetch(request, person_id)


@router.post("/{int:person_id}/reveal", response=PersonRevealOut, summary="Reveal a value (needs a reason; audited)")
def person_reveal(request: HttpRequest, response: HttpResponse, person_id: int, payload: PersonRevealIn) -> Any:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    value = services.person_reveal(actor=request.user, person=person, field=payload.field, reason=payload.reason)
    response["Cache-Control"] = "no-store"
    return {"value": value}


@router.post("/{int:person_id}/tags", response=list[TagOut], summary="Set a tag (设置标签)")
def person_tag_set(request: HttpRequest, person_id: int, payload: PersonTagSetIn) -> Any:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    services.person_tag_set(actor=request.user, person=person, **payload.dict())
    return [TagOut.from_tag(t) for t in _refetch(request, person_id).tags.all()]


@router.delete("/{int:person_id}/tags/{tag}", response=list[TagOut], summary="Remove a tag (移除标签)")
def person_tag_remove(request: HttpRequest, person_id: int, tag: str) -> Any:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    services.person_tag_remove(actor=request.user, person=person, tag=tag)
    return [TagOut.from_tag(t) for t in _refetch(request, person_id).tags.all()]


@router.post("/{int:person_id}/verify", response=PersonOut, summary="Verify as resident (认证居民)")
def person_verify(request: HttpRequest, person_id: int, payload: PersonVerifyIn) -> Any:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    user = User.objects.filter(pk=payload.user_id, is_active=True).first()
    if user is None:
        raise ValidationFailed({"user_id": UNKNOWN_ACCOUNT})
    services.person_verify_resident(actor=request.user, person=person, user=user)
    return _refetch(request, person_id)


@router.get("/{int:person_id}/residences", response=list[ResidenceOut], summary="Where a person lives")
def person_residences(request: HttpRequest, person_id: int) -> Any:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    return list(selectors.person_residences(actor=request.user, person=person).select_related("person"))


@router.get("/{int:person_id}/ownerships", response=list[OwnershipOut], summary="What a person owns")
def person_ownerships(request: HttpRequest, person_id: int) -> Any:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    return list(selectors.person_ownerships(actor=request.user, person=person).select_related("person"))


@router.post("/{int:person_id}/ownerships", response={201: OwnershipOut}, summary="Add an ownership (登记产权)")
def ownership_add(request: HttpRequest, person_id: int, payload: OwnershipAddIn) -> Any:
    actor = request.user
    person = selectors.person_get(actor=actor, person_id=person_id)
    dwelling = _dwelling(actor, payload.dwelling_id)
    assert dwelling is not None
    ownership = services.ownership_add(
        actor=actor, person=person, dwelling=dwelling, share=payload.share, representative=payload.representative
    )
    return Status(201, selectors.ownership_get(actor=actor, ownership_id=ownership.pk))


@router.post("/ownerships/{int:ownership_id}/representative", response=OwnershipOut, summary="Make the representative")
def ownership_set_representative(request: HttpRequest, ownership_id: int) -> Any:
    ownership = selectors.ownership_get(actor=request.user, ownership_id=ownership_id)
    services.ownership_set_representative(actor=request.user, ownership=ownership)
    return selectors.ownership_get(actor=request.user, ownership_id=ownership_id)


@router.post("/ownerships/{int:ownership_id}/verify", response=OwnershipOut, summary="Verify an owner (认证业主)")
def ownership_verify(request: HttpRequest, ownership_id: int) -> Any:
    ownership = selectors.ownership_get(actor=request.user, ownership_id=ownership_id)
    services.ownership_verify(actor=request.user, ownership=ownership)
    return selectors.ownership_get(actor=request.user, ownership_id=ownership_id)


@router.get("/dwellings/{int:dwelling_id}/ownerships", response=list[OwnershipOut], summary="Owners of a dwelling")
def dwelling_ownerships(request: HttpRequest, dwelling_id: int) -> Any:
    dwelling = selectors.dwelling_get(actor=request.user, dwelling_id=dwelling_id)
    return list(selectors.dwelling_ownerships(actor=request.user, dwelling=dwelling))


@router.get("/dwellings/{int:dwelling_id}/residences", response=list[ResidenceOut], summary="Residents of a dwelling")
def dwelling_residences(request: HttpRequest, dwelling_id: int) -> Any:
    dwelling = selectors.dwelling_get(actor=request.user, dwelling_id=dwelling_id)
    return list(selectors.dwelling_residences(actor=request.user, dwelling=dwelling))


# --- households ------------------------------------------------------------------------------


@router.get("/households", response=list[HouseholdOut], summary="List households (户列表)")
@paginate(PageNumberPagination)
def household_list(request: HttpRequest, number: str = "", region: int | None = None) -> Any:
    return selectors.household_list(actor=request.user, filters={"number": number, "region": region})


@router.post("/households", response={201: HouseholdOut}, summary="Create a household (建户)")
def household_create(request: HttpRequest, payload: HouseholdCreateIn) -> Any:
    actor = request.user
    household = services.household_create(
        actor=actor,
        region=_region(payload.region_id),
        dwelling=_dwelling(actor, payload.dwelling_id),
        number=payload.number.strip(),
    )
    return Status(201, selectors.household_get(actor=actor, household_id=household.pk))


@router.get("/households/{int:household_id}", response=HouseholdOut, summary="One household (户详情)")
def household_detail(request: HttpRequest, household_id: int) -> Any:
    return selectors.household_get(actor=request.user, household_id=household_id)


@router.get("/households/{int:household_id}/members", response=list[PersonOut], summary="Members of a household")
def household_members(request: HttpRequest, household_id: int) -> Any:
    household = selectors.household_get(actor=request.user, household_id=household_id)
    return list(selectors.household_members(actor=request.user, household=household))
