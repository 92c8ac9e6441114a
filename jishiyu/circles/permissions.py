"""Scope policies of the circles app: facilities, runs and results by the region they belong to."""

from __future__ import annotations

from jishiyu.circles.models import BuildingCoverage, CoverageRun, Facility
from jishiyu.core import grants
from jishiyu.core.scope import ScopePolicy


class FacilityPolicy(ScopePolicy[Facility]):
    model = Facility
    region_path = "region__path"


class CoverageRunPolicy(ScopePolicy[CoverageRun]):
    model = CoverageRun
    region_path = "region__path"


class BuildingCoveragePolicy(ScopePolicy[BuildingCoverage]):
    model = BuildingCoverage
    region_path = "building__region__path"


facility_policy = FacilityPolicy()
run_policy = CoverageRunPolicy()
coverage_policy = BuildingCoveragePolicy()


# Who holds the circles app's permissions (jishiyu.core.grants): staff read life-circle coverage;
# community and street staff keep facilities; the district edits the catalogue.
grants.declare(
    "circles",
    {
        "grid_worker": {"circles.view"},
        "community_worker": {"circles.view", "circles.change"},
        "social_worker": {"circles.view"},
        "community_secretary": {"circles.view", "circles.change"},
        "street_dispatcher": {"circles.view"},
        "street_official": {"circles.view", "circles.change"},
        "district_admin": {"circles.view", "circles.change", "circles.catalogue"},
    },
)
