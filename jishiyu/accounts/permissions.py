"""Scope policy of the accounts app: which staff accounts an admin manages (账号管理范围)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jishiyu.accounts.models import RoleAssignment, User
from jishiyu.accounts.roles import STAFF_ROLES
from jishiyu.core import grants
from jishiyu.core.scope import ScopePolicy, path_in_scope, subtree_q

MANAGE = "accounts.manage"
SECURITY = "accounts.security"


class StaffPolicy(ScopePolicy[User]):
    """A staff member is in scope when one of their active staff role assignments lies in a subtree
    where the actor holds the permission."""

    model = User
    region_path = "role_assignments__region__path"

    def queryset(self, actor: Any, permission: str, qs: QuerySet[User] | None = None) -> QuerySet[User]:
        qs = self.base_queryset() if qs is None else qs
        if actor is None or not actor.is_authenticated:
            return qs.none()
        paths = actor.region_paths_for(permission)
        if not paths:
            return qs.none()
        inner = RoleAssignment.objects.filter(
            subtree_q("region__path", paths), active=True, role__in=list(STAFF_ROLES)
        ).values("user_id")
        return qs.filter(pk__in=inner)

    def allows(self, actor: Any, permission: str, obj: User) -> bool:
        if actor is None or not actor.is_authenticated:
            return False
        paths = actor.region_paths_for(permission)
        return any(
            a.active and a.role in STAFF_ROLES and path_in_scope(a.region.path, paths)
            for a in obj.role_assignments.select_related("region")
        )


class RoleAssignmentPolicy(ScopePolicy[RoleAssignment]):
    model = RoleAssignment
    region_path = "region__path"


staff_policy = StaffPolicy()
assignment_policy = RoleAssignmentPolicy()


# Who holds the accounts app's permissions (jishiyu.core.grants): the secretary, the street official,
# the district admin and the system admin manage accounts below them (roles.GRANTABLE_ROLES); the security
# admin alone keeps sign-in security.
grants.declare(
    "accounts",
    {
        "community_secretary": {MANAGE},
        "street_official": {MANAGE},
        "district_admin": {MANAGE},
        "system_admin": {MANAGE},
        "security_admin": {SECURITY},
    },
)
