"""JSON API of the organisations app (mounted under /api/v1/organisations)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.pagination import paginate

from jishiyu.core.api import PageNumberPagination
from jishiyu.organisations import selectors, services
from jishiyu.organisations.models import Organisation
from jishiyu.organisations.schemas import (
    MembershipAddIn,
    MembershipOut,
    OrganisationCreateIn,
    OrganisationOut,
    OrganisationUpdateIn,
)

router = Router(tags=["organisations"])


@router.get("", response=list[OrganisationOut], summary="List organisations")
@paginate(PageNumberPagination)
def organisation_list(request: HttpRequest, kind: str = "", q: str = "") -> Any:
    """组织列表, by kind (e.g. ?kind=department) and name."""
    return selectors.organisation_list(actor=request.user, kind=kind, q=q)


@router.post("", response={201: OrganisationOut}, summary="Create an organisation")
def organisation_create(request: HttpRequest, payload: OrganisationCreateIn) -> tuple[int, Organisation]:
    """新建组织."""
    return 201, services.organisation_create(actor=request.user, **payload.dict())


@router.get("/{organisation_id}", response=OrganisationOut, summary="One organisation")
def organisation_get(request: HttpRequest, organisation_id: int) -> Organisation:
    """组织详情."""
    return selectors.organisation_get(actor=request.user, organisation_id=organisation_id)


@router.patch("/{organisation_id}", response=OrganisationOut, summary="Change an organisation")
def organisation_update(request: HttpRequest, organisation_id: int, payload: OrganisationUpdateIn) -> Organisation:
    """修改组织: only the fields sent."""
    organisation = selectors.organisation_get(actor=request.user, organisation_id=organisation_id)
    changes = payload.dict(exclude_unset=True)
    return services.organisation_update(actor=request.user, organisation=organisation, **changes)


@router.get("/{organisation_id}/memberships", response=list[MembershipOut], summary="Members of an organisation")
@paginate(PageNumberPagination)
def membership_list(request: HttpRequest, organisation_id: int) -> Any:
    """组织成员."""
    organisation = selectors.organisation_get(actor=request.user, organisation_id=organisation_id)
    return selectors.membership_list(actor=request.user, organisation=organisation)


@router.post("/{organisation_id}/memberships", response={201: MembershipOut}, summary="Add a member")
def membership_add(request: HttpRequest, organisation_id: int, payload: MembershipAddIn) -> tuple[int, Any]:
    """添加组织成员."""
    organisation = selectors.organisation_get(actor=request.user, organisation_id=organisation_id)
    return 201, services.membership_add(actor=request.user, organisation=organisation, **payload.dict())


@router.delete("/{organisation_id}/memberships/{membership_id}", response={204: None}, summary="Remove a member")
def membership_remove(request: HttpRequest, organisation_id: int, membership_id: int) -> HttpResponse:
    """移除组织成员."""
    selectors.organisation_get(actor=request.user, organisation_id=organisation_id)
    services.membership_remove(actor=request.user, membership_id=membership_id, organisation_id=organisation_id)
    return HttpResponse(status=204)
