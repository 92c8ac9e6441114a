"""Roles and the permissions each grants. Permissions are "<app>.<action>" strings; a role
assignment grants them within its region subtree. Separated duties (等保2.0): the system admin,
the security admin and the auditor hold disjoint permissions and no user may hold two of them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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

_VIEW_PEOPLE = {"people.view", "regions.view", "organisations.view"}
_WORK_PEOPLE = _VIEW_PEOPLE | {"people.change", "people.export", "people.verify", "people.handle_request"}
# deliberation (小区里): view the table; manage votes, meetings and actions; convene (the community secretary).
_DELIB_VIEW = {"deliberation.view"}
_DELIB_WORK = {"deliberation.view", "deliberation.manage"}
_DELIB_CONVENE = _DELIB_WORK | {"deliberation.convene"}
# charity (公益行)
_CHARITY_WORK = {"charity.view", "charity.change", "charity.record_claim"}
_CHARITY_ALL = _CHARITY_WORK | {"charity.finance"}
# tickets (社区通)
_T_HANDLE = {"tickets.view", "tickets.report", "tickets.handle"}
_T_DISPATCH = {"tickets.view", "tickets.report", "tickets.dispatch", "tickets.review"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # a resident reads their own records (own_q), never a region's listing; "regions.map" draws the outlines
    # and streets around their home on the place picker (no records)
    Role.RESIDENT: frozenset({"regions.map"}),
    Role.GRID_WORKER: frozenset(_VIEW_PEOPLE | {"people.change"} | _DELIB_VIEW | _T_HANDLE),
    Role.COMMUNITY_WORKER: frozenset(
        _WORK_PEOPLE | {"people.reveal", "people.import"} | _DELIB_WORK | _CHARITY_WORK | _T_HANDLE
    ),
    Role.SOCIAL_WORKER: frozenset(_VIEW_PEOPLE | {"people.export", "tickets.view"} | _DELIB_VIEW | _CHARITY_WORK),
    Role.COMMUNITY_SECRETARY: frozenset(
        _WORK_PEOPLE
        | {"people.reveal", "people.import", "accounts.manage"}
        | _DELIB_CONVENE
        | _CHARITY_ALL
        | _T_HANDLE
        | {"tickets.review"}
    ),
    Role.STREET_DISPATCHER: frozenset(_VIEW_PEOPLE | {"people.export"} | _DELIB_VIEW | _T_DISPATCH),
    Role.STREET_OFFICIAL: frozenset(
        _WORK_PEOPLE
        | {"people.reveal", "accounts.manage"}
        | _DELIB_WORK
        | _CHARITY_ALL
        | _T_DISPATCH
        | _T_HANDLE
        | {"tickets.supervise"}
    ),
    Role.DISTRICT_ADMIN: frozenset(
        _WORK_PEOPLE
        | {"people.reveal", "people.import", "accounts.manage", "organisations.change", "regions.change"}
        | _DELIB_WORK
        | _CHARITY_ALL
        | _T_DISPATCH
        | {"tickets.supervise", "tickets.configure"}
    ),
    Role.DEPARTMENT_HANDLER: frozenset(
        {"regions.view", "organisations.view", "tickets.view_department", "tickets.handle_department"}
    ),
    Role.ORGANISATION_MEMBER: frozenset({"regions.view", "organisations.view"} | _DELIB_VIEW),
    Role.AUDITOR: frozenset({"audit.view", "regions.view", "charity.view"}),
    Role.SYSTEM_ADMIN: frozenset(
        {"accounts.manage", "regions.view", "regions.change", "organisations.view", "organisations.change"}
    ),
    Role.SECURITY_ADMIN: frozenset({"accounts.security", "regions.view"}),
}


def permissions_of(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())


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


# --- circles (issue 6): life-circle coverage; the district edits the catalogue -----------------------------
_CIRCLES_GRANTS: dict[str, set[str]] = {
    Role.GRID_WORKER: {"circles.view"},
    Role.COMMUNITY_WORKER: {"circles.view", "circles.change"},
    Role.SOCIAL_WORKER: {"circles.view"},
    Role.COMMUNITY_SECRETARY: {"circles.view", "circles.change"},
    Role.STREET_DISPATCHER: {"circles.view"},
    Role.STREET_OFFICIAL: {"circles.view", "circles.change"},
    Role.DISTRICT_ADMIN: {"circles.view", "circles.change", "circles.catalogue"},
}
for _role, _perms in _CIRCLES_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms

# --- notifications: the development SMS outbox holds sign-up and reset codes; only the system admin reads it ---
OUTBOX_READ = "notifications.outbox"
ROLE_PERMISSIONS[Role.SYSTEM_ADMIN] = ROLE_PERMISSIONS[Role.SYSTEM_ADMIN] | {OUTBOX_READ}
