"""Fixtures of the charity tests: organisations, sources and a published project in 翠竹园社区."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from jishiyu.charity.models import FundingSource, Need, Project
from jishiyu.organisations.models import Organisation


@dataclass
class World:
    foundation: Organisation
    station: Organisation
    no_fundraising: Organisation
    district_source: FundingSource
    foundation_source: FundingSource
    project: Project
    other_project: Project
    wish: Need
    share_need: Need


@pytest.fixture
def world(tree: Any, personas: dict[str, Any]) -> World:
    t = tree
    foundation = Organisation.objects.create(
        kind=Organisation.Kind.FOUNDATION, name="科菲平基金会", region=t.district, public_fundraising=True
    )
    station = Organisation.objects.create(kind=Organisation.Kind.STATION, name="翠竹园社工站", region=t.community)
    no_fr = Organisation.objects.create(kind=Organisation.Kind.SOCIAL, name="新林互助会", region=t.other_community)
    district_source = FundingSource.objects.create(
        kind=FundingSource.Kind.DISTRICT_FINANCE, name="区财政", region=t.district
    )
    foundation_source = FundingSource.objects.create(
        kind=FundingSource.Kind.FOUNDATION, name="科菲平基金会", region=t.district, organisation=foundation
    )
    project = Project.objects.create(
        name="翠竹园助老餐桌",
        region=t.community,
        runner_kind=Project.RunnerKind.COMMUNITY,
        recipient=foundation,
        goal="为独居老人提供午餐",
        budget_fen=5_000_000,
        beneficiaries="独居老人 40 人",
        status=Project.Status.PUBLISHED,
    )
    other = Project.objects.create(
        name="新林儿童之家",
        region=t.other_community,
        runner_kind=Project.RunnerKind.SOCIAL_ORGANISATION,
        runner=no_fr,
        recipient=no_fr,
        goal="课后托管",
        budget_fen=1_000_000,
        beneficiaries="儿童 20 人",
        status=Project.Status.PUBLISHED,
    )
    worker = personas["community_worker"]
    wish = Need.objects.create(
        kind=Need.Kind.SMALL_WISH,
        title="一台助听器",
        project=project,
        region=t.grid,
        share_fen=80_000,
        posted_by=worker,
    )
    share = Need.objects.create(
        kind=Need.Kind.PROJECT_NEED,
        title="一个月午餐",
        project=project,
        region=t.community,
        shares_total=10,
        share_fen=50_000,
        posted_by=worker,
    )
    return World(foundation, station, no_fr, district_source, foundation_source, project, other, wish, share)
