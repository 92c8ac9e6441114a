from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from jishiyu.regions import gazetteer
from jishiyu.regions.models import Building, Dwelling, Entrance, Region
from jishiyu.regions.services import building_create, dwelling_create, entrance_create, region_create


@pytest.fixture(autouse=True)
def _fresh_gazetteer() -> Any:
    """Each test has its own rows (rolled back after): the per-process name index must not outlive them."""
    gazetteer.invalidate(local_only=True)
    yield
    gazetteer.invalidate(local_only=True)


@dataclass
class Addresses:
    xinlinyuan: Region
    building: Building
    entrance: Entrance
    dwelling: Dwelling
    cuizhu_building: Building
    cuizhu_dwelling: Dwelling


@pytest.fixture
def addresses(tree: Any) -> Addresses:
    """新林社区 → 新林苑 3栋 2单元 501, and 翠竹园 5栋 1单元 101 in 翠竹园第一网格."""
    compound = region_create(kind="compound", name="新林苑", parent=tree.other_community)
    building = building_create(
        actor=None, community=tree.other_community, grid=tree.other_grid, compound=compound, number="3"
    )
    entrance = entrance_create(actor=None, building=building, number="2")
    dwelling = dwelling_create(
        actor=None,
        building=building,
        entrance=entrance,
        number="501",
        floor=5,
        exclusive_area=Decimal("89.50"),
        area_source="register",
    )
    cz = building_create(actor=None, community=tree.community, grid=tree.grid, compound=tree.compound, number="5")
    cz_entrance = entrance_create(actor=None, building=cz, number="1")
    cz_dwelling = dwelling_create(actor=None, building=cz, entrance=cz_entrance, number="101")
    return Addresses(compound, building, entrance, dwelling, cz, cz_dwelling)
