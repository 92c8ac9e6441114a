"""Writes to organisations (组织) and their memberships: the only place that changes them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from jishiyu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jishiyu.core.text import name_error
from jishiyu.organisations.models import Membership, Organisation
from jishiyu.organisations.permissions import CHANGE, membership_policy, organisation_policy
from jishiyu.regions.models import Region

CREDIT_CODE_LENGTH = _("A unified social credit code has 18 characters.")
CREDIT_CODE_CHECKSUM = _("The check character of this unified social credit code is wrong.")
CREDIT_CODE_FORMAT = _("This is not a valid unified social credit code.")
CREDIT_CODE_TAKEN = _("Another organisation already has this unified social credit code.")
NAME_REQUIRED = _("Enter the organisation's name.")
NAME_TOO_LONG = _("The name is too long: at most 120 characters.")
KIND_UNKNOWN = _("Choose a kind of organisation.")
REGION_UNKNOWN = _("Choose a region within your scope.")
PARENT_UNKNOWN = _("Choose a parent organisation within your scope.")
PARENT_CYCLE = _("An organisation cannot sit under itself.")
USER_UNKNOWN = _("No such user.")
ROLE_UNKNOWN = _("Choose a membership role.")
ALREADY_MEMBER = _("This user is already a member of the organisation.")

EDITABLE = (
    "kind",
    "name",
    "region_id",
    "credit_code",
    "public_fundraising",
    "parent_id",
    "contact_name",
    "description",
    "active",
)


def credit_code_clean(value: str) -> str:
    """统一社会信用代码: validated with its check character (GB 32100-2015); "" stays ""."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return str(uscc.validate(value))
    except InvalidLength:
        raise ValidationFailed({"credit_code": [CREDIT_CODE_LENGTH]}) from None
    except InvalidChecksum:
        raise ValidationFailed({"credit_code": [CREDIT_CODE_CHECKSUM]}) from None
    except ValidationError:
        raise ValidationFailed({"credit_code": [CREDIT_CODE_FORMAT]}) from None


def _region_in_scope(actor: Any, region_id: Any) -> Region:
    region = Region.objects.filter(pk=region_id).first() if str(region_id or "").isdigit() else None
    if region is None or not organisation_policy.allows_path(actor, CHANGE, region.path):
        raise ValidationFailed({"region": [REGION_UNKNOWN]})
    return region


def _parent_in_scope(actor: Any, parent_id: Any, organisation: Organisation | None) -> Organisation | None:
    if parent_id in (None, ""):
        return None
    try:
        parent = organisation_policy.get(actor, "organisations.view", pk=parent_id)
    except NotFound:
        raise ValidationFailed({"parent": [PARENT_UNKNOWN]}) from None
    if organisation is not None:
        node: Organisation | None = parent
        seen = 0
        while node is not None and seen < 50:
            if node.pk == organisation.pk:
                raise ValidationFailed({"parent": [PARENT_CYCLE]})
            node, seen = node.parent, seen + 1
    return parent


def _validate(actor: Any, data: dict[str, Any], organisation: Organisation | None) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}
    clean: dict[str, Any] = {}
    if "kind" in data:
        if data["kind"] not in Organisation.Kind.values:
            errors["kind"] = [KIND_UNKNOWN]
        clean["kind"] = data["kind"]
    if "name" in data:
        name = (data["name"] or "").strip()
        if not name:
            errors["name"] = [NAME_REQUIRED]
        elif name_error(name):
            errors["name"] = [name_error(name)]
        elif len(name) > 120:
            errors["name"] = [NAME_TOO_LONG]
        clean["name"] = name
    for field, limit in (("contact_name", 50), ("description", 5000)):
        if field in data:
            clean[field] = (data[field] or "").strip()[:limit]
    for field in ("public_fundraising", "active"):
        if field in data and data[field] is not None:
            clean[field] = bool(data[field])
    for key, check in (
        ("credit_code", lambda: credit_code_clean(data["credit_code"])),
        ("region", lambda: _region_in_scope(actor, data["region_id"])),
        ("parent", lambda: _parent_in_scope(actor, data["parent_id"], organisation)),
    ):
        source = "credit_code" if key == "credit_code" else f"{key}_id"
        if source not in data:
            continue
        try:
            clean[key] = check()
        except ValidationFailed as exc:
            errors.update({k: list(v) for k, v in exc.errors.items()})
    code = clean.get("credit_code")
    if code:
        taken = Organisation.objects.filter(credit_code=code)
        if organisation is not None:
            taken = taken.exclude(pk=organisation.pk)
        if taken.exists():
            errors["credit_code"] = [CREDIT_CODE_TAKEN]
    if errors:
        raise ValidationFailed(errors)
    return clean


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    region_id: int,
    credit_code: str = "",
    public_fundraising: bool = False,
    parent_id: int | None = None,
    contact_name: str = "",
    description: str = "",
) -> Organisation:
    """新建组织: in a region within the actor's "organisations.change" scope."""
    if not organisation_policy.allows_anywhere(actor, CHANGE):
        raise PermissionDenied()
    data = {
        "kind": kind,
        "name": name,
        "region_id": region_id,
        "credit_code": credit_code,
        "public_fundraising": public_fundraising,
        "parent_id": parent_id,
        "contact_name": contact_name,
        "description": description,
    }
    clean = _validate(actor, data, None)
    organisation = Organisation(**clean)
    try:
        organisation.save()
    except IntegrityError:  # a concurrent create with the same credit code
        raise ValidationFailed({"credit_code": [CREDIT_CODE_TAKEN]}) from None
    return organisation


@transaction.atomic
def organisation_update(*, actor: Any, organisation: Organisation, **changes: Any) -> Organisation:
    """修改组织: only the given fields; a move to another region needs scope there too."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    organisation_policy.require(actor, CHANGE, organisation)
    clean = _validate(actor, changes, organisation)
    for field, value in clean.items():
        setattr(organisation, field, value)
    if clean:
        fields = list(clean)
        try:
            organisation.save(update_fields=fields)
        except IntegrityError:
            raise ValidationFailed({"credit_code": [CREDIT_CODE_TAKEN]}) from None
    return organisation


@transaction.atomic
def membership_add(
    *,
    actor: Any,
    organisation: Organisation,
    user_id: int,
    role: str = Membership.Role.MEMBER,
    since: date | None = None,
) -> Membership:
    """添加组织成员."""
    organisation_policy.require(actor, CHANGE, organisation)
    errors: dict[str, list[Any]] = {}
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        errors["user_id"] = [USER_UNKNOWN]
    if role not in Membership.Role.values:
        errors["role"] = [ROLE_UNKNOWN]
    if errors or user is None:
        raise ValidationFailed(errors)
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise Conflict(ALREADY_MEMBER, field="user_id")
    return Membership.objects.create(organisation=organisation, user=user, role=role, since=since)


@transaction.atomic
def membership_remove(*, actor: Any, membership_id: int, organisation_id: int | None = None) -> None:
    """移除组织成员."""
    lookup: dict[str, Any] = {"pk": membership_id}
    if organisation_id is not None:
        lookup["organisation_id"] = organisation_id
    membership = membership_policy.get(actor, "organisations.view", **lookup)
    membership_policy.require(actor, CHANGE, membership)
    membership.delete()
