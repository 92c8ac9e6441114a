"""Every role's permissions in one table (the review of a grant is a change to this file), and the rules
the declarations keep: only roles that exist, only the declaring app's own permissions, the three separated
duties (三员) sharing nothing but the map of regions."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from jishiyu.accounts.roles import SEPARATED_DUTIES, Role, permissions_of, role_permissions
from jishiyu.core import grants

# Role → app → verbs, written out by hand: a grant added or lost anywhere shows here, in review.
TABLE = {
    "auditor": {"audit": "view", "charity": "view", "regions": "view"},
    "community_secretary": {
        "accounts": "manage",
        "charity": "change finance record_claim view",
        "circles": "change view",
        "deliberation": "convene manage view",
        "organisations": "view",
        "people": "change export handle_request import reveal verify view",
        "regions": "view",
        "tickets": "handle report review view",
    },
    "community_worker": {
        "charity": "change record_claim view",
        "circles": "change view",
        "deliberation": "manage view",
        "organisations": "view",
        "people": "change export handle_request import reveal verify view",
        "regions": "view",
        "tickets": "handle report view",
    },
    "department_handler": {"organisations": "view", "regions": "view", "tickets": "handle_department view_department"},
    "district_admin": {
        "accounts": "manage",
        "charity": "change finance record_claim view",
        "circles": "catalogue change view",
        "deliberation": "manage view",
        "organisations": "change view",
        "people": "change export handle_request import reveal verify view",
        "regions": "change view",
        "tickets": "configure dispatch report review supervise view",
    },
    "grid_worker": {
        "circles": "view",
        "deliberation": "view",
        "organisations": "view",
        "people": "change view",
        "regions": "view",
        "tickets": "handle report view",
    },
    "organisation_member": {"deliberation": "view", "organisations": "view", "regions": "view"},
    "resident": {"regions": "map"},
    "security_admin": {"accounts": "security", "regions": "view"},
    "social_worker": {
        "charity": "change record_claim view",
        "circles": "view",
        "deliberation": "view",
        "organisations": "view",
        "people": "export view",
        "regions": "view",
        "tickets": "view",
    },
    "street_dispatcher": {
        "circles": "view",
        "deliberation": "view",
        "organisations": "view",
        "people": "export view",
        "regions": "view",
        "tickets": "dispatch report review view",
    },
    "street_official": {
        "accounts": "manage",
        "charity": "change finance record_claim view",
        "circles": "change view",
        "deliberation": "manage view",
        "organisations": "view",
        "people": "change export handle_request reveal verify view",
        "regions": "view",
        "tickets": "dispatch handle report review supervise view",
    },
    "system_admin": {
        "accounts": "manage",
        "notifications": "outbox",
        "organisations": "change view",
        "regions": "change view",
    },
}


def test_every_roles_permissions_are_exactly_the_table() -> None:
    held: dict[str, dict[str, str]] = {}
    for role, perms in role_permissions().items():
        by_app: dict[str, list[str]] = {}
        for perm in sorted(perms):
            app, verb = perm.split(".", 1)
            by_app.setdefault(app, []).append(verb)
        held[role] = {app: " ".join(verbs) for app, verbs in by_app.items()}
    assert held == TABLE


def test_every_declaration_names_a_role_that_exists_and_an_installed_app() -> None:
    roles = {str(r) for r in Role}
    labels = {config.label for config in apps.get_app_configs()}
    for app, table in grants.declared().items():
        assert app in labels, app
        assert set(table) <= roles, (app, set(table) - roles)


def test_an_app_may_not_grant_another_apps_permission() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"people\.reveal"):
        grants.declare("circles", {"grid_worker": {"circles.view", "people.reveal"}})
    assert "people.reveal" not in permissions_of(Role.GRID_WORKER)
    assert "circles.view" in permissions_of(Role.GRID_WORKER)


def test_the_three_separated_duties_share_nothing_but_the_region_tree() -> None:
    duties = sorted(SEPARATED_DUTIES)
    for i, one in enumerate(duties):
        for other in duties[i + 1 :]:
            assert permissions_of(one) & permissions_of(other) <= {"regions.view"}, (one, other)
