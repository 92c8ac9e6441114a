"""JSON API of the accounts app (mounted under /api/v1/auth/)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from jishiyu.accounts import selectors, services
from jishiyu.accounts.models import RoleAssignment, User
from jishiyu.accounts.schemas import (
    LockoutOut,
    MeOut,
    RoleAssignmentOut,
    RoleGrantIn,
    StaffCreateIn,
    StaffOut,
    TokenCreateIn,
    TokenOut,
)
from jishiyu.core.api import PageNumberPagination
from jishiyu.core.errors import DomainError
from jishiyu.core.masking import mask_phone

router = Router(tags=["accounts"])


def assignment_out(a: RoleAssignment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "role": a.role,
        "role_label": str(a.get_role_display()),
        "region": {"id": a.region.pk, "name": a.region.name},
        "department_id": a.department_id,
    }


def staff_out(user: User) -> dict[str, Any]:
    roles = getattr(user, "active_roles", None)
    if roles is None:
        roles = list(user.role_assignments.select_related("region").filter(active=True))
    return {
        "id": user.pk,
        "name": user.name,
        "phone_masked": user.masked_phone,
        "is_active": user.is_active,
        "roles": [assignment_out(a) for a in roles],
    }


@router.post("/token", auth=None, response={200: TokenOut}, summary="Sign in: get a bearer token")
def token_create(request: HttpRequest, payload: TokenCreateIn) -> dict[str, Any]:
    raw, token = services.token_issue(
        request=request, phone=payload.phone, password=payload.password, code=payload.code
    )
    return {"token": raw, "expires_at": token.expires_at}


@router.delete("/token", response={204: None}, summary="Revoke the bearer token sent with this request")
def token_delete(request: HttpRequest) -> Status[None]:
    header = request.headers.get("Authorization", "")
    scheme, _sep, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise DomainError(services.TOKEN_HEADER_MISSING, code="token_missing")
    services.token_revoke(actor=request.user, raw=raw.strip())  # type: ignore[arg-type]
    return Status(204, None)


@router.get("/me", response=MeOut, summary="The signed-in user")
def me(request: HttpRequest) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    return {
        "id": user.pk,
        "name": user.name,
        "phone_masked": user.masked_phone,
        "language": user.language,
        "elder_mode": user.elder_mode,
        "is_staff_member": user.is_staff_member,
        "roles": [assignment_out(a) for a in user._assignments()],
    }


@router.get("/staff", response=list[StaffOut], summary="Staff accounts within my scope")
@paginate(PageNumberPagination)
def staff_index(request: HttpRequest, search: str = "") -> Any:
    users = selectors.staff_list(actor=request.user, search=search)  # type: ignore[arg-type]
    return _StaffPage(users)


class _StaffPage:
    """A queryset wrapper that turns each sliced user into its output dict (masked phone, roles)."""

    def __init__(self, qs: Any):
        self.qs = qs

    def count(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [staff_out(u) for u in self.qs[item]]


@router.post("/staff", response={201: StaffOut}, summary="Create a staff account")
def staff_create(request: HttpRequest, payload: StaffCreateIn) -> Status[dict[str, Any]]:
    user = services.staff_create(
        actor=request.user,  # type: ignore[arg-type]
        phone=payload.phone,
        name=payload.name,
        role=payload.role,
        region_id=payload.region,
        department_id=payload.department,
    )
    return Status(201, staff_out(user))


@router.get("/staff/{user_id}", response=StaffOut, summary="One staff account")
def staff_detail(request: HttpRequest, user_id: int) -> dict[str, Any]:
    return staff_out(selectors.staff_get(actor=request.user, user_id=user_id))  # type: ignore[arg-type]


@router.post("/staff/{user_id}/roles", response={201: RoleAssignmentOut}, summary="Grant a role")
def role_create(request: HttpRequest, user_id: int, payload: RoleGrantIn) -> Status[dict[str, Any]]:
    assignment = services.role_grant(
        actor=request.user,  # type: ignore[arg-type]
        user_id=user_id,
        role=payload.role,
        region_id=payload.region,
        department_id=payload.department,
    )
    return Status(201, assignment_out(assignment))


@router.delete("/staff/{user_id}/roles/{assignment_id}", response={204: None}, summary="Revoke a role")
def role_delete(request: HttpRequest, user_id: int, assignment_id: int) -> Status[None]:
    services.role_revoke(actor=request.user, user_id=user_id, assignment_id=assignment_id)  # type: ignore[arg-type]
    return Status(204, None)


@router.post("/staff/{user_id}/deactivate", response=StaffOut, summary="Deactivate a staff account")
def staff_deactivate(request: HttpRequest, user_id: int) -> dict[str, Any]:
    user = services.staff_deactivate(actor=request.user, user_id=user_id)  # type: ignore[arg-type]
    return staff_out(user)


@router.get("/lockouts", response=list[LockoutOut], summary="Locked accounts (security admin)")
@paginate(PageNumberPagination)
def lockout_index(request: HttpRequest) -> Any:
    services.require_security(request.user)  # type: ignore[arg-type]
    return _LockoutPage(selectors.lockout_list(actor=request.user))  # type: ignore[arg-type]


class _LockoutPage(_StaffPage):
    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [
            {
                "id": a.pk,
                "phone_masked": mask_phone(a.username),
                "failures": a.failures_since_start,
                "last_attempt_at": a.attempt_time,
            }
            for a in self.qs[item]
        ]


@router.delete("/lockouts/{attempt_id}", response={204: None}, summary="Unlock an account (security admin)")
def lockout_delete(request: HttpRequest, attempt_id: int) -> Status[None]:
    services.lockout_clear(actor=request.user, attempt_id=attempt_id)  # type: ignore[arg-type]
    return Status(204, None)
