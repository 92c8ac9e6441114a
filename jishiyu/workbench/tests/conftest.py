"""The demo district of the README (its accounts, one per role), built by the demo builder for the tests
that walk the shells as each README account does."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from jishiyu.accounts.models import User
from jishiyu.accounts.roles import Role

# Enough residents for tickets in every queue of the README's roles (the demo's tickets grow with them).
DEMO_RESIDENTS = 1500


@pytest.fixture
def demo_district(db: Any) -> dict[str, User]:
    """The demo district as `make run` builds it (fewer residents); the README accounts by role."""
    call_command("demo_district", "--residents", str(DEMO_RESIDENTS), "--seed", "7", stdout=io.StringIO())
    # The README's table: 13900000001 for the first role, in Role order (the workbench may not import the
    # demo app, which sits above it).
    return {str(role): User.objects.get(phone=f"139000000{i + 1:02d}") for i, role in enumerate(Role)}


# The demo is built up to the moment one runs it, so its queues must hold work whatever that moment is: now, an
# early morning in Nanjing (a CI run at 05:15 once found the grid worker's queue empty) and a Sunday.
BUILT_AT = ["now", "2026-12-03T05:15:00+08:00", "2027-03-14T11:00:00+08:00"]


@pytest.fixture(params=BUILT_AT)
def demo_district_built_at(request: pytest.FixtureRequest, db: Any) -> Iterator[dict[str, User]]:
    """The demo district built, and used, at one of the moments of ``BUILT_AT``."""
    if request.param == "now":
        yield request.getfixturevalue("demo_district")
        return
    with time_machine.travel(request.param, tick=True):
        yield request.getfixturevalue("demo_district")


def signed_in(user: User) -> Client:
    """A client signed in through the login page with the README's password."""
    client = Client()
    response = client.post("/accounts/login/", {"phone": user.phone, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302, f"{user.phone} could not sign in"
    return client
