"""Residents in the shells (jishiyu.core.shells): the staff menu (residents, households, imports) and the
workbench's to-dos (residents to verify, data requests), each counted from the list it links to."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jishiyu.core.shells import (
    BADGE_CAP,
    TOOLS,
    MenuEntry,
    Todo,
    bounded_count,
    register_menu,
    register_todos,
)
from jishiyu.people import selectors
from jishiyu.people.permissions import may_import
from jishiyu.people.selfservice import data_request_list_staff

register_menu(
    MenuEntry("people", _("Residents"), "people:person-list", "people.view", order=20),
    MenuEntry(
        "households",
        pgettext_lazy("household pages", "Households"),
        "people:household-list",
        "people.view",
        order=110,
        section=TOOLS,
    ),
    MenuEntry("imports", _("Imports"), "people_imports:import-list", may_import, order=120, section=TOOLS),
)

register_todos(
    Todo(
        "unverified",
        _("Residents to verify"),
        _("Signed up, not yet verified as residents"),
        lambda actor: selectors.residents_awaiting_verification_count(actor=actor, cap=BADGE_CAP),
        "people:person-awaiting",
        "people.verify",
        order=40,
    ),
    Todo(
        "data_requests",
        _("Data requests"),
        _("Residents asking to correct or delete their data"),
        lambda actor: bounded_count(data_request_list_staff(actor=actor)),
        "people_me:request-staff-list",
        "people.handle_request",
        order=41,
    ),
)
