"""Accounts in the shells (jishiyu.core.shells): staff accounts, locked accounts and one's own password in
the staff menu; locked accounts as the security admin's to-do."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jishiyu.accounts import selectors
from jishiyu.accounts.permissions import SECURITY
from jishiyu.core.shells import TOOLS, MenuEntry, Todo, bounded_count, register_menu, register_todos

register_menu(
    MenuEntry("staff", _("Staff accounts"), "accounts:staff-list", "accounts.manage", order=100),
    MenuEntry("lockouts", _("Locked accounts"), "accounts:lockout-list", SECURITY, order=101),
    MenuEntry("password", _("Change password"), "accounts:password-change", None, order=300, section=TOOLS),
)

register_todos(
    Todo(
        "lockouts",
        _("Locked accounts"),
        _("Accounts locked after repeated failed sign-ins"),
        lambda actor: bounded_count(selectors.lockout_list(actor=actor)),
        "accounts:lockout-list",
        SECURITY,
        order=60,
    )
)
