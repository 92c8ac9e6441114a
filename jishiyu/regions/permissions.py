"""Scope policies of the regions app: one per scoped model, used by pages, API, exports and admin.

"regions.view" on a node shows the node's subtree. The ancestors above the user's scope are not
records the user may open (their ids answer 404); only their names appear in a node's path
(breadcrumb), so a community worker reads "雨花台区 › 雨花街道 › 翠竹园社区" without seeing the street's
other communities."""

from __future__ import annotations

from jishiyu.core import grants
from jishiyu.core.scope import ScopePolicy
from jishiyu.regions.models import Building, Dwelling, Entrance, Region

VIEW = "regions.view"
CHANGE = "regions.change"
MAP = "regions.map"  # a resident's: the outlines around their home, no records


class RegionPolicy(ScopePolicy[Region]):
    model = Region
    region_path = "path"


class BuildingPolicy(ScopePolicy[Building]):
    model = Building
    region_path = "region__path"


class EntrancePolicy(ScopePolicy[Entrance]):
    model = Entrance
    region_path = "building__region__path"


class DwellingPolicy(ScopePolicy[Dwelling]):
    model = Dwelling
    region_path = "region__path"


region_policy = RegionPolicy()
building_policy = BuildingPolicy()
entrance_policy = EntrancePolicy()
dwelling_policy = DwellingPolicy()


# Who holds the regions app's permissions (jishiyu.core.grants): every staff member reads the tree inside
# their scope; the district and system admins change it; a resident draws the outlines around their home
# on the place picker ("regions.map": shapes, no records).
grants.declare(
    "regions",
    {
        "resident": {"regions.map"},
        **{
            role: {"regions.view"}
            for role in (
                "grid_worker",
                "community_worker",
                "social_worker",
                "community_secretary",
                "street_dispatcher",
                "street_official",
                "department_handler",
                "organisation_member",
                "auditor",
                "security_admin",
            )
        },
        "district_admin": {"regions.view", "regions.change"},
        "system_admin": {"regions.view", "regions.change"},
    },
)
