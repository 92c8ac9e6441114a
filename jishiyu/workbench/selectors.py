"""Reads of the staff workbench (工作台): what waits for the actor, within their scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jishiyu.accounts.models import RoleAssignment
from jishiyu.notifications.models import Notification
from jishiyu.people.models import DataRequest
from jishiyu.people.permissions import person_policy
from jishiyu.regions.models import Region
from jishiyu.workbench.links import url_or


@dataclass
class WaitingCard:
    key: str
    title: str | Promise
    hint: str | Promise
    count: int
    url: str


def workbench_waiting(*, actor: Any) -> list[WaitingCard]:
    """待办: counts of what waits for the actor, each scoped by the permission that acts on it."""
    cards: list[WaitingCard] = []
    if actor.has_perm_anywhere("people.verify"):
        unverified = person_policy.queryset(actor, "people.verify").filter(user__isnull=False, verified_at__isnull=True)
        cards.append(
            WaitingCard(
                "unverified",
                _("Residents to verify"),
                _("Signed up, not yet verified as residents"),
                unverified.count(),
                url_or("people:person-list", "/people/", "verified=no"),
            )
        )
    if actor.has_perm_anywhere("people.handle_request"):
        people = person_policy.queryset(actor, "people.handle_request")
        requests = DataRequest.objects.filter(status=DataRequest.Status.OPEN, person__in=people.values("pk"))
        cards.append(
            WaitingCard(
                "data_requests",
                _("Data requests"),
                _("Residents asking to correct or delete their data"),
                requests.count(),
                url_or("people:datarequest-list", "/people/", "requests=open"),
            )
        )
    cards.append(
        WaitingCard(
            "notifications",
            _("Unread messages"),
            _("Messages in your inbox"),
            Notification.objects.filter(user=actor, read_at__isnull=True).count(),
            url_or("notifications:inbox", "/inbox/"),
        )
    )
    return cards


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
