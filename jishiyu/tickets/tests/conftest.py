"""Fixtures of the tickets tests: a ticket in 翠竹园 网格一 filed by the resident, and a department."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.accounts.models import RoleAssignment
from jishiyu.accounts.roles import Role
from jishiyu.conftest import reload_data_migrations
from jishiyu.organisations.models import Organisation
from jishiyu.regions import gazetteer
from jishiyu.tickets.models import Channel, Kind, Ticket
from jishiyu.tickets.services import ticket_create


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    gazetteer.invalidate()  # the point index (tickets.geo) follows the name index


@pytest.fixture
def ticket(tree: Any, personas: Any) -> Ticket:
    created, _ = ticket_create(
        actor=personas["resident"],
        channel=Channel.PORTAL,
        kind=Kind.HELP,
        content="楼道灯坏了",
        category="C0105",
        region=tree.grid,
    )
    return created


@pytest.fixture
def department(tree: Any, personas: Any) -> Organisation:
    """城管局, with the department handler persona working for it."""
    org = Organisation.objects.create(kind=Organisation.Kind.DEPARTMENT, name="区城管局", region=tree.district)
    RoleAssignment.objects.filter(user=personas["department_handler"]).update(department=org)
    personas["department_handler"].clear_scope_cache()
    return org


@pytest.fixture
def other_department(tree: Any) -> Organisation:
    return Organisation.objects.create(kind=Organisation.Kind.DEPARTMENT, name="区住建局", region=tree.district)


def ensure_catalogue() -> None:
    """A live-server test flushes the tables, data migrations included: load the shipped catalogue again."""
    reload_data_migrations()


def add_role(user: Any, role: str, region: Any, department: Any = None) -> None:
    RoleAssignment.objects.create(user=user, role=role, region=region, department=department)
    user.clear_scope_cache()


__all__ = ["Role", "add_role"]
