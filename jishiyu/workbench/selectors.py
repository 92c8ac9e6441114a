"""Reads of the staff workbench (工作台): what waits for the actor, within their scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jishiyu.accounts.models import RoleAssignment
from jishiyu.core.shells import TodoCard, todos_for
from jishiyu.regions.models import Region

# A to-do card: key, title, hint, count (a bounded Badge reading "99+" beyond the cap), url, display.
WaitingCard = TodoCard


def workbench_waiting(*, actor: Any) -> list[TodoCard]:
    """待办: what waits for the actor, one card per to-do a module declares (its shell.py) and the actor
    may act on, each counted from the queue it links to."""
    return todos_for(actor)


@dataclass
class ScopeLine:
    assignment: RoleAssignment
    trail: list[Region]


def workbench_scopes(*, actor: Any) -> list[ScopeLine]:
    """我的辖区: the actor's active role assignments with the path from the district down to each region."""
    assignments = list(
        RoleAssignment.objects.filter(user=actor, active=True)
        .select_related("region", "department")
        .order_by("region__path", "role")
    )
    ids = {i for a in assignments for i in a.region.ancestor_ids()}
    by_id = Region.objects.in_bulk(ids)
    return [ScopeLine(a, [by_id[i] for i in a.region.ancestor_ids() if i in by_id]) for a in assignments]
