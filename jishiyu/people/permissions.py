"""Scope policies of the people app: one per scoped model, used by pages, API, exports and admin."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from jishiyu.core import grants
from jishiyu.core.imports import importers
from jishiyu.core.scope import ScopePolicy, holds_anywhere
from jishiyu.people.models import Household, Person
from jishiyu.regions.models import Dwelling


class PersonPolicy(ScopePolicy[Person]):
    model = Person
    region_path = "region__path"

    def own_q(self, actor: Any) -> Q | None:
        return Q(user_id=actor.pk)

    def is_own(self, actor: Any, obj: Person) -> bool:
        return obj.user_id is not None and obj.user_id == actor.pk


class HouseholdPolicy(ScopePolicy[Household]):
    model = Household
    region_path = "region__path"


person_policy = PersonPolicy()
household_policy = HouseholdPolicy()


class DwellingPolicy(ScopePolicy[Dwelling]):
    """Dwellings as seen by people staff: scoped by the dwelling's region (its grid or community)."""

    model = Dwelling
    region_path = "region__path"


dwelling_policy = DwellingPolicy()


def may_import(actor: Any) -> bool:
    """Whether the import page (数据导入) opens: the actor may import at least one kind of spreadsheet."""
    return holds_anywhere(actor, *(cls.permission for cls in importers().values()))


# Who holds the people app's permissions (jishiyu.core.grants): grid workers keep the ledger up to date;
# community staff also export, verify, answer data requests, reveal a plain id number (audited) and import;
# social workers and dispatchers read and export.
_VIEW = {"people.view"}
_WORK = {"people.view", "people.change", "people.export", "people.verify", "people.handle_request"}
grants.declare(
    "people",
    {
        "grid_worker": _VIEW | {"people.change"},
        "community_worker": _WORK | {"people.reveal", "people.import"},
        "social_worker": _VIEW | {"people.export"},
        "community_secretary": _WORK | {"people.reveal", "people.import"},
        "street_dispatcher": _VIEW | {"people.export"},
        "street_official": _WORK | {"people.reveal"},
        "district_admin": _WORK | {"people.reveal", "people.import"},
    },
)
