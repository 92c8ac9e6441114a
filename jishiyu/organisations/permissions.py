"""Scope policies of the organisations app: an organisation belongs to a region node; a membership
follows its organisation."""

from __future__ import annotations

from jishiyu.core import grants
from jishiyu.core.scope import ScopePolicy
from jishiyu.organisations.models import Membership, Organisation

VIEW = "organisations.view"
CHANGE = "organisations.change"


class OrganisationPolicy(ScopePolicy[Organisation]):
    model = Organisation
    region_path = "region__path"


class MembershipPolicy(ScopePolicy[Membership]):
    model = Membership
    region_path = "organisation__region__path"


organisation_policy = OrganisationPolicy()
membership_policy = MembershipPolicy()


# Who holds the organisations app's permissions (jishiyu.core.grants).
grants.declare(
    "organisations",
    {
        **{
            role: {"organisations.view"}
            for role in (
                "grid_worker",
                "community_worker",
                "social_worker",
                "community_secretary",
                "street_dispatcher",
                "street_official",
                "department_handler",
                "organisation_member",
            )
        },
        "district_admin": {"organisations.view", "organisations.change"},
        "system_admin": {"organisations.view", "organisations.change"},
    },
)
