"""Scope policies of the tickets app and who may see the reporter (来电人信息可见范围).

A ticket is in scope for a permission when its queue region lies in a subtree where the actor holds
it. Department handlers (部门承办人) see and handle only tickets dispatched to their own department;
residents see the tickets they filed themselves."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jishiyu.core import grants
from jishiyu.core.scope import ScopePolicy, path_in_scope, subtree_q
from jishiyu.tickets.models import Category, Holiday, Source, Ticket, TimeLimitPolicy
from jishiyu.tickets.transitions import Transition

# Held through a department handler's assignment: valid only for tickets of that department.
DEPARTMENT_PERMISSIONS = {"tickets.view": "tickets.view_department", "tickets.handle": "tickets.handle_department"}


def department_ids(actor: Any, permission: str) -> set[int]:
    """Departments in which the actor holds ``permission`` (through a department handler role)."""
    dept_perm = DEPARTMENT_PERMISSIONS.get(permission)
    if dept_perm is None or actor is None or not actor.is_authenticated:
        return set()
    cache: dict[str, set[int]] = actor.__dict__.setdefault("_ticket_dept_cache", {})
    if dept_perm not in cache:
        from jishiyu.accounts.roles import permissions_of

        cache[dept_perm] = {
            a.department_id
            for a in actor.role_assignments.filter(active=True, department__isnull=False)
            if dept_perm in permissions_of(a.role)
        }
    return cache[dept_perm]


class TicketPolicy(ScopePolicy[Ticket]):
    model = Ticket
    region_path = "region_path"

    def own_q(self, actor: Any) -> Q | None:
        return Q(reporter_id=actor.pk)

    def is_own(self, actor: Any, obj: Ticket) -> bool:
        return obj.reporter_id is not None and obj.reporter_id == actor.pk

    def queryset(
        self, actor: Any, permission: str, qs: QuerySet[Ticket] | None = None, *, own: bool = True
    ) -> QuerySet[Ticket]:
        """``own=False`` leaves out the actor's own requests (staff queues: one index range, no OR)."""
        qs = self.base_queryset() if qs is None else qs
        if actor is None or not actor.is_authenticated:
            return qs.none()
        q = subtree_q(self.region_path, actor.region_paths_for(permission))
        depts = department_ids(actor, permission)
        if depts:
            q |= Q(handler_org_id__in=depts)
        if own and permission.endswith(".view"):
            q |= Q(reporter_id=actor.pk)
        return qs.filter(q)

    def allows(self, actor: Any, permission: str, obj: Ticket) -> bool:
        if actor is None or not actor.is_authenticated:
            return False
        if permission.endswith(".view") and self.is_own(actor, obj):
            return True
        return self.allows_as_staff(actor, permission, obj)

    def allows_as_staff(self, actor: Any, permission: str, obj: Ticket) -> bool:
        """Through the actor's region scope or department, not as the ticket's reporter."""
        if actor is None or not actor.is_authenticated:
            return False
        if obj.handler_org_id and obj.handler_org_id in department_ids(actor, permission):
            return True
        return bool(obj.region_path) and path_in_scope(obj.region_path, actor.region_paths_for(permission))


ticket_policy = TicketPolicy()


def may_handle(actor: Any, ticket: Ticket) -> bool:
    """The actor is the ticket's handler: its handling department, or a region in their handle scope."""
    if actor is None or not actor.is_authenticated:
        return False
    if ticket.handler_org_id and ticket.handler_org_id in department_ids(actor, "tickets.handle"):
        return True
    if ticket.handler_region_id and ticket.handler_region is not None:
        return path_in_scope(ticket.handler_region.path, actor.region_paths_for("tickets.handle"))
    return False


def may_take(actor: Any, transition: Transition, ticket: Ticket) -> bool:
    """The actor may take this step on this ticket: the step's permission over the ticket's region and, for
    the handler's own steps (``Transition.by_handler``), being the ticket's handler."""
    if not ticket_policy.allows(actor, transition.permission, ticket):
        return False
    return not transition.by_handler or may_handle(actor, ticket)


def is_subject(actor: Any, ticket: Ticket) -> bool:
    """The actor works for the department the ticket complains about."""
    return bool(ticket.subject_org_id) and ticket.subject_org_id in (
        department_ids(actor, "tickets.view") | department_ids(actor, "tickets.handle")
    )


def may_see_reporter(actor: Any, ticket: Ticket) -> bool:
    """The dispatcher and the handler may see who reported; never the subject of a complaint; nobody when anonymous."""
    if ticket.anonymous or actor is None or not actor.is_authenticated:
        return False
    if is_subject(actor, ticket):
        return False
    if ticket.reporter_id is not None and ticket.reporter_id == actor.pk:
        return True
    return ticket_policy.allows(actor, "tickets.dispatch", ticket) or may_handle(actor, ticket)


class DistrictWidePolicy(ScopePolicy[Any]):
    """Configuration kept for the whole district (catalogue, time limits, holidays): whoever holds the
    permission anywhere may use it."""

    def __init__(self, model: type[Any]) -> None:
        self.model = model

    def queryset(self, actor: Any, permission: str, qs: QuerySet[Any] | None = None) -> QuerySet[Any]:
        qs = self.base_queryset() if qs is None else qs
        return qs if actor is not None and actor.is_authenticated and actor.has_perm_anywhere(permission) else qs.none()

    def allows(self, actor: Any, permission: str, obj: Any) -> bool:
        return actor is not None and actor.is_authenticated and actor.has_perm_anywhere(permission)


category_policy = DistrictWidePolicy(Category)
time_limit_policy = DistrictWidePolicy(TimeLimitPolicy)
holiday_policy = DistrictWidePolicy(Holiday)
source_policy = DistrictWidePolicy(Source)


# Who holds the tickets app's permissions (jishiyu.core.grants): community staff report and handle;
# dispatchers dispatch and review; street officials and the district supervise; the district configures;
# a department's handlers see and handle only what is sent to their department.
_HANDLE = {"tickets.view", "tickets.report", "tickets.handle"}
_DISPATCH = {"tickets.view", "tickets.report", "tickets.dispatch", "tickets.review"}
grants.declare(
    "tickets",
    {
        "grid_worker": _HANDLE,
        "community_worker": _HANDLE,
        "social_worker": {"tickets.view"},
        "community_secretary": _HANDLE | {"tickets.review"},
        "street_dispatcher": _DISPATCH,
        "street_official": _DISPATCH | _HANDLE | {"tickets.supervise"},
        "district_admin": _DISPATCH | {"tickets.supervise", "tickets.configure"},
        "department_handler": {"tickets.view_department", "tickets.handle_department"},
    },
)
