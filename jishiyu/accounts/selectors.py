"""Reads of the accounts app, scoped: staff lists, lockouts (账号查询)."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from jishiyu.accounts.models import RoleAssignment, User
from jishiyu.accounts.permissions import MANAGE, SECURITY, staff_policy
from jishiyu.core.errors import NotFound, PermissionDenied
from jishiyu.core.scope import subtree_q


def staff_list(*, actor: User, search: str = "", include_inactive: bool = True) -> QuerySet[User]:
    """工作人员列表: staff whose role assignments lie in the actor's subtree, with their roles."""
    if not actor.has_perm_anywhere(MANAGE):
        raise PermissionDenied()
    qs = staff_policy.queryset(actor, MANAGE)
    if search:
        qs = qs.filter(name__icontains=search.strip())
    if not include_inactive:
        qs = qs.filter(is_active=True)
    active_roles = RoleAssignment.objects.filter(active=True).select_related("region").order_by("granted_at", "pk")
    return qs.prefetch_related(Prefetch("role_assignments", queryset=active_roles, to_attr="active_roles")).order_by(
        "name", "pk"
    )


def staff_get(*, actor: User, user_id: Any) -> User:
    """一名工作人员, or NotFound when missing or out of scope."""
    try:
        return staff_list(actor=actor).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def _lockout_usernames_q(actor: User) -> Q | None:
    paths = actor.region_paths_for(SECURITY)
    if not paths:
        return None
    in_scope = RoleAssignment.objects.filter(subtree_q("region__path", paths), active=True).values("user__phone")
    q = Q(username__in=in_scope)
    # A security admin at a root node also sees accounts without any role (new residents, unknown numbers).
    if any(p.count("/") <= 2 for p in paths):
        q |= ~Q(username__in=RoleAssignment.objects.filter(active=True).values("user__phone"))
    return q


def lockout_list(*, actor: User) -> QuerySet[AccessAttempt]:
    """被锁定的账号: accounts locked by repeated failures, within the security admin's scope."""
    q = _lockout_usernames_q(actor)
    attempts: QuerySet[AccessAttempt] = AccessAttempt.objects.all()  # axes has no type hints
    if q is None:
        return attempts.none()
    return (
        attempts.filter(q, failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
        .only("id", "username", "failures_since_start", "attempt_time")
        .order_by("-attempt_time", "-id")
    )


def lockout_get(*, actor: User, attempt_id: Any) -> AccessAttempt:
    try:
        return lockout_list(actor=actor).get(pk=attempt_id)
    except (AccessAttempt.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
