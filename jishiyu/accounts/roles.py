"""Roles and the permissions each grants. Permissions are "<app>.<action>" strings; a role
assignment grants them within its region subtree. Separated duties (等保2.0): the system admin,
the security admin and the auditor hold disjoint permissions and no user may hold two of them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jishiyu.core import grants


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    GRID_WORKER = "grid_worker", _("Grid worker")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    COMMUNITY_SECRETARY = "community_secretary", _("Community secretary")
    STREET_DISPATCHER = "street_dispatcher", _("Street dispatcher")
    STREET_OFFICIAL = "street_official", _("Street official")
    DISTRICT_ADMIN = "district_admin", _("District admin")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")
    ORGANISATION_MEMBER = "organisation_member", _("Organisation member")
    AUDITOR = "auditor", _("Auditor")
    SYSTEM_ADMIN = "system_admin", _("System admin")
    SECURITY_ADMIN = "security_admin", _("Security admin")


# Roles whose holders may sign in to staff pages (and need the second factor when it is on).
STAFF_ROLES = frozenset(Role) - {Role.RESIDENT}
# 三员分立: no user may hold two of these.
SEPARATED_DUTIES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})

# Which permissions each role holds is declared by each app for its own permissions, in its permissions.py
# (jishiyu.core.grants); jishiyu/accounts/tests/test_roles_table.py lists the whole table.


def permissions_of(role: str) -> frozenset[str]:
    return grants.held_by(str(role))


def role_permissions() -> dict[str, frozenset[str]]:
    """Every role and the permissions it holds."""
    return {str(role): permissions_of(role) for role in Role}


_COMMUNITY_STAFF = frozenset({Role.GRID_WORKER, Role.COMMUNITY_WORKER, Role.SOCIAL_WORKER, Role.ORGANISATION_MEMBER})
_STREET_STAFF = _COMMUNITY_STAFF | {Role.COMMUNITY_SECRETARY, Role.STREET_DISPATCHER}
_DISTRICT_STAFF = _STREET_STAFF | {Role.STREET_OFFICIAL, Role.DEPARTMENT_HANDLER}

# Which roles a holder of an "accounts.manage" role may grant, within their own subtree: always a
# role below their own. The system admin creates the district admins and the other two of the three
# separated duties (三员), but not another system admin.
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.COMMUNITY_SECRETARY: frozenset(_COMMUNITY_STAFF),
    Role.STREET_OFFICIAL: frozenset(_STREET_STAFF),
    Role.DISTRICT_ADMIN: frozenset(_DISTRICT_STAFF),
    Role.SYSTEM_ADMIN: frozenset(_DISTRICT_STAFF | {Role.DISTRICT_ADMIN, Role.AUDITOR, Role.SECURITY_ADMIN}),
}


def grantable_by(role: str) -> frozenset[str]:
    return GRANTABLE_ROLES.get(role, frozenset())
