"""Which roles hold which permissions (授权声明), declared by each app for its own permissions.

An app names its permissions ``"<app>.<verb>"`` and grants them to roles in its ``permissions.py``, beside
the scope policies that use them::

    grants.declare("circles", {
        "grid_worker": {"circles.view"},
        "district_admin": {"circles.view", "circles.change", "circles.catalogue"},
    })

``CoreConfig.ready`` imports every app's ``permissions`` module (``autodiscover_modules``), so the table is
whole before the first request. ``jishiyu.accounts.roles.permissions_of`` reads it; nothing else does. Roles
are the values of ``accounts.roles.Role`` written as strings, so that apps below accounts in the layers
(regions, audit, notifications) declare theirs the same way; a test refuses a role that does not exist and
lists every role's permissions in one table.

An app grants only its own permissions: a declaration naming another app's permission is refused, so each
app's grants are read in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ImproperlyConfigured

_DECLARED: dict[str, dict[str, frozenset[str]]] = {}


def declare(app: str, grants: Mapping[str, Iterable[str]]) -> None:
    """Grant ``app``'s permissions to roles. Declaring an app again replaces its grants."""
    table: dict[str, frozenset[str]] = {}
    for role, permissions in grants.items():
        held = frozenset(permissions)
        foreign = sorted(p for p in held if not p.startswith(f"{app}."))
        if foreign:
            raise ImproperlyConfigured(f"{app} grants permissions of another app: {', '.join(foreign)}")
        table[str(role)] = held
    _DECLARED[app] = table


def held_by(role: str) -> frozenset[str]:
    """Every permission any app grants to ``role``."""
    return frozenset().union(*(table.get(role, frozenset()) for table in _DECLARED.values()))


def declared() -> dict[str, dict[str, frozenset[str]]]:
    """The declarations, app by app (for the tests and the docs)."""
    return {app: dict(table) for app, table in _DECLARED.items()}
