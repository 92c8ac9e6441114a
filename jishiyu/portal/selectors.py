"""Reads of the resident portal: the actor's own records only."""

from __future__ import annotations

from typing import Any

from jishiyu.people.models import Person
from jishiyu.people.permissions import person_policy

MESSAGE_PAGE = 50


def portal_resident(*, actor: Any) -> Person | None:
    """我的居民档案: the person record linked to the actor's account, if any."""
    return person_policy.queryset(actor, "people.view").filter(user=actor).select_related("region").first()
