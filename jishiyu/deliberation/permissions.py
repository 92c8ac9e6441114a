"""Scope policies of the deliberation app: staff see the compounds under their region (compound →
community path); owners and residents see their own compound; anyone else gets 404."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet

from jishiyu.core import grants
from jishiyu.core.scope import ScopePolicy, path_in_scope
from jishiyu.deliberation.models import Action, Meeting, Notice, Party, PartyMember, Topic, Vote
from jishiyu.people.models import Ownership, Residence
from jishiyu.regions.models import Region

M = TypeVar("M", bound=models.Model)


def _member_compounds(actor: Any) -> list[QuerySet[Any]]:
    """The compound ids where the actor owns or lives in a dwelling (本小区业主/居民) or sits for a party, as
    three unevaluated queries (subqueries of a list's filter, or read for one record)."""
    uid = actor.pk
    return [
        Ownership.objects.filter(person__user_id=uid).values_list("dwelling__building__compound_id", flat=True),
        Residence.objects.filter(person__user_id=uid).values_list("dwelling__building__compound_id", flat=True),
        PartyMember.objects.filter(user_id=uid).values_list("party__compound_id", flat=True),
    ]


VIEW = "deliberation.view"
MANAGE = "deliberation.manage"
CONVENE = "deliberation.convene"


def member_compound_ids(actor: Any) -> set[int]:
    """Compounds where the actor owns or lives in a dwelling (本小区业主/居民) or sits for a party."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return set()
    return {i for ids in _member_compounds(actor) for i in ids if i is not None}


def is_convener(actor: Any, compound: Region) -> bool:
    """召集人: the community secretary (or above) over the compound, or a delegated party member."""
    if actor is None or not actor.is_authenticated:
        return False
    if path_in_scope(compound.path, actor.region_paths_for(CONVENE)):
        return True
    return PartyMember.objects.filter(party__compound=compound, user_id=actor.pk, convener=True).exists()


def compound_visible(actor: Any, compound: Region) -> bool:
    """Staff over the compound, its owners and residents, and the members of its parties."""
    if actor is None or not actor.is_authenticated:
        return False
    if path_in_scope(compound.path, actor.region_paths_for(VIEW)):
        return True
    if compound.pk in member_compound_ids(actor):
        return True
    return PartyMember.objects.filter(party__compound=compound, user_id=actor.pk).exists()


class CompoundPolicy(ScopePolicy[M]):
    """A record of a compound: scoped by the compound's path; its owners and residents may view it."""

    region_path = "compound__path"

    def own_q(self, actor: Any) -> Q | None:
        if actor is None or not getattr(actor, "is_authenticated", False):
            return None
        owned, lived, seats = _member_compounds(actor)  # subqueries: a list costs no extra round trip
        return Q(compound_id__in=owned) | Q(compound_id__in=lived) | Q(compound_id__in=seats)

    def is_own(self, actor: Any, obj: Any) -> bool:
        return obj.compound_id in member_compound_ids(actor)


def _policy(model: type[M]) -> CompoundPolicy[M]:
    policy: CompoundPolicy[M] = CompoundPolicy()
    policy.model = model
    return policy


vote_policy = _policy(Vote)
topic_policy = _policy(Topic)
meeting_policy = _policy(Meeting)
notice_policy = _policy(Notice)
party_policy = _policy(Party)
action_policy = _policy(Action)


# Who holds the deliberation app's permissions (jishiyu.core.grants): staff read the compound table;
# community workers and above manage votes, meetings and actions; the community secretary convenes.
_VIEW = {"deliberation.view"}
_MANAGE = {"deliberation.view", "deliberation.manage"}
grants.declare(
    "deliberation",
    {
        "grid_worker": _VIEW,
        "community_worker": _MANAGE,
        "social_worker": _VIEW,
        "community_secretary": _MANAGE | {"deliberation.convene"},
        "street_dispatcher": _VIEW,
        "street_official": _MANAGE,
        "district_admin": _MANAGE,
        "organisation_member": _VIEW,
    },
)
