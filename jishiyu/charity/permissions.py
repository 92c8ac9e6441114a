"""Scope policies of the charity app (公益行): projects, needs, roadshows and sources belong to a region.
Published projects and their open needs are public by design (see selectors' public functions)."""

from __future__ import annotations

from jishiyu.charity.models import Claim, Donation, FundingSource, Need, Project, Roadshow
from jishiyu.core import grants
from jishiyu.core.scope import ScopePolicy

VIEW = "charity.view"
CHANGE = "charity.change"  # projects, needs, progress reports, roadshows
FINANCE = "charity.finance"  # ledger entries, confirming donations and fulfilments
RECORD_CLAIM = "charity.record_claim"  # raising a card for a named donor at a roadshow


class ProjectPolicy(ScopePolicy[Project]):
    model = Project
    region_path = "region__path"


class NeedPolicy(ScopePolicy[Need]):
    model = Need
    region_path = "region__path"


class RoadshowPolicy(ScopePolicy[Roadshow]):
    model = Roadshow
    region_path = "region__path"


class FundingSourcePolicy(ScopePolicy[FundingSource]):
    model = FundingSource
    region_path = "region__path"


class ClaimPolicy(ScopePolicy[Claim]):
    model = Claim
    region_path = "need__region__path"


class DonationPolicy(ScopePolicy[Donation]):
    model = Donation
    region_path = "project__region__path"


project_policy = ProjectPolicy()
need_policy = NeedPolicy()
roadshow_policy = RoadshowPolicy()
source_policy = FundingSourcePolicy()
claim_policy = ClaimPolicy()
donation_policy = DonationPolicy()


# Who holds the charity app's permissions (jishiyu.core.grants): community and social workers run
# projects and record claims; the secretary, the street and the district also keep the money
# ("charity.finance"); the auditor reads.
_WORK = {"charity.view", "charity.change", "charity.record_claim"}
grants.declare(
    "charity",
    {
        "community_worker": _WORK,
        "social_worker": _WORK,
        "community_secretary": _WORK | {"charity.finance"},
        "street_official": _WORK | {"charity.finance"},
        "district_admin": _WORK | {"charity.finance"},
        "auditor": {"charity.view"},
    },
)
