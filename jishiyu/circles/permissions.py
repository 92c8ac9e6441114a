"""Scope policies of the circles app: facilities, runs and results by the region they belong to."""

from __future__ import annotations

from jishiyu.circles.models import BuildingCoverage, CoverageRun, Facility
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
