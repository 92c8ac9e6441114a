"""Reads of organisations (组织) and memberships, always through the scope policy."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jishiyu.organisations.models import Membership, Organisation
from jishiyu.organisations.permissions import VIEW, organisation_policy


def organisation_list(*, actor: Any, kind: str = "", q: str = "", active: bool | None = None) -> QuerySet[Organisation]:
    """组织列表: organisations in the actor's scope, by kind and name."""
    qs = organisation_policy.queryset(actor, VIEW).select_related("region", "parent")
    if kind:
        qs = qs.filter(kind=kind)
    if q.strip():
        term = q.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(credit_code=term.upper()))
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("kind", "name_pinyin", "name", "pk")


def organisation_get(*, actor: Any, organisation_id: int) -> Organisation:
    """组织详情; NotFound when missing or outside scope."""
    return organisation_policy.get(actor, VIEW, pk=organisation_id)


def membership_list(*, actor: Any, organisation: Organisation) -> QuerySet[Membership]:
    """组织成员: the members of an organisation the actor may see."""
    organisation_policy.require(actor, VIEW, organisation)
    return organisation.memberships.select_related("user").order_by("role", "pk")
