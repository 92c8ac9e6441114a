"""Personas for every test (healthchecks' Alice, Bob and Charlie, for a district).

The tree: 雨花台区 → 雨花街道 (→ 翠竹园社区 → 网格一, 网格二, 翠竹园小区; 凤台社区 → 网格)
and 板桥街道 (→ 新林社区 → 网格). Each staff persona holds one role at one node; ``outsider`` is
signed up with no role; ``resident`` is a verified resident of 翠竹园 网格一.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from jishiyu.accounts.models import RoleAssignment, User
from jishiyu.accounts.roles import Role
from jishiyu.core import memo
from jishiyu.regions.models import Region
from jishiyu.regions.services import region_create

PASSWORD = "Test-pass-123"


@dataclass
class Tree:
    district: Region
    street: Region
    other_street: Region
    community: Region
    sibling_community: Region
    other_community: Region
    grid: Region
    grid2: Region
    compound: Region
    other_grid: Region


@pytest.fixture(autouse=True)
def _fresh_memos() -> None:
    """Per-process memos of configuration rows (jishiyu.core.memo) must not outlive a test's rolled-back rows."""
    memo.clear_all()


@pytest.fixture
def tree(db: Any) -> Tree:
    d = region_create(kind="district", name="雨花台区", codes=[("nbs", "320114000000")], lon=118.78, lat=31.99)
    s1 = region_create(kind="street", name="雨花街道", parent=d, codes=[("nbs", "320114001000")])
    s2 = region_create(kind="street", name="板桥街道", parent=d, codes=[("nbs", "320114005000")])
    c1 = region_create(
        kind="community", name="翠竹园社区", parent=s1, community_kind="commercial", codes=[("nbs", "320114001003")]
    )
    c2 = region_create(kind="community", name="凤台社区", parent=s1, community_kind="legacy_industrial")
    c3 = region_create(kind="community", name="新林社区", parent=s2, community_kind="village")
    g1 = region_create(kind="grid", name="翠竹园第一网格", parent=c1)
    g2 = region_create(kind="grid", name="翠竹园第二网格", parent=c1)
    cp = region_create(kind="compound", name="翠竹园", parent=c1)
    g3 = region_create(kind="grid", name="新林第一网格", parent=c3)
    return Tree(d, s1, s2, c1, c2, c3, g1, g2, cp, g3)


def make_user(phone: str, name: str, role: str | None = None, region: Region | None = None, **extra: Any) -> User:
    user = User.objects.create_user(phone=phone, password=PASSWORD, name=name, **extra)
    if role and region is not None:
        RoleAssignment.objects.create(user=user, role=role, region=region)
    return user


@pytest.fixture
def personas(tree: Tree) -> dict[str, User]:
    """One user per role, each at the node that role usually holds."""
    t = tree
    return {
        "resident": make_user("13800000001", "居民甲", Role.RESIDENT, t.grid),
        "grid_worker": make_user("13800000002", "网格员", Role.GRID_WORKER, t.grid),
        "community_worker": make_user("13800000003", "社区工作者", Role.COMMUNITY_WORKER, t.community),
        "social_worker": make_user("13800000004", "社工", Role.SOCIAL_WORKER, t.community),
        "community_secretary": make_user("13800000005", "书记", Role.COMMUNITY_SECRETARY, t.community),
        "street_dispatcher": make_user("13800000006", "派单员", Role.STREET_DISPATCHER, t.street),
        "street_official": make_user("13800000007", "街道干部", Role.STREET_OFFICIAL, t.street),
        "district_admin": make_user("13800000008", "区管理员", Role.DISTRICT_ADMIN, t.district),
        "department_handler": make_user("13800000009", "部门承办人", Role.DEPARTMENT_HANDLER, t.district),
        "organisation_member": make_user("13800000010", "社会组织成员", Role.ORGANISATION_MEMBER, t.community),
        "auditor": make_user("13800000011", "审计员", Role.AUDITOR, t.district),
        "system_admin": make_user("13800000012", "系统管理员", Role.SYSTEM_ADMIN, t.district),
        "security_admin": make_user("13800000013", "安全管理员", Role.SECURITY_ADMIN, t.district),
        "other_community_worker": make_user("13800000014", "新林社工", Role.COMMUNITY_WORKER, t.other_community),
        "outsider": make_user("13800000099", "路人"),
    }


@pytest.fixture
def api_token(client: Any) -> Any:
    """Return a function persona-user → bearer token, through the real token endpoint."""

    def get(user: User) -> str:
        response = client.post(
            "/api/v1/auth/token", {"phone": user.phone, "password": PASSWORD}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        return str(response.json()["token"])

    return get
