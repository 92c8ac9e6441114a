"""小区里 in the shells (jishiyu.core.shells): the staff menu, the work waiting for staff as to-dos (votes to
count, overdue actions, new topics), the portal's module card and the dashboard's module card."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jishiyu.core.shells import (
    TOOLS,
    Figure,
    FigureCard,
    MenuEntry,
    PortalCard,
    Todo,
    bounded_count,
    count_item,
    register_figures,
    register_menu,
    register_portal,
    register_todos,
    share_item,
)
from jishiyu.deliberation import selectors
from jishiyu.deliberation.permissions import CONVENE, MANAGE, VIEW
from jishiyu.regions.models import Region

register_menu(
    MenuEntry("deliberation", gettext_lazy("Compound deliberation"), "deliberation:compound-list", VIEW, order=60),
    MenuEntry("deliberation_work", gettext_lazy("Compound work"), "deliberation:work", MANAGE, 235, TOOLS),
    MenuEntry("deliberation_figures", gettext_lazy("Compound figures"), "deliberation:figures-view", VIEW, 240, TOOLS),
)


register_todos(
    Todo(
        "deliberation_votes_to_close",
        gettext_lazy("Votes to close"),
        gettext_lazy("Owners' votes past their closing time, waiting to be counted"),
        lambda actor: bounded_count(selectors.votes_to_close(actor=actor)),
        "deliberation:work",
        MANAGE,
        query="show=votes",
        order=40,
    ),
    Todo(
        "deliberation_actions_overdue",
        gettext_lazy("Overdue compound actions"),
        gettext_lazy("Resolutions whose follow-up is past its due date"),
        lambda actor: bounded_count(selectors.actions_overdue(actor=actor)),
        "deliberation:work",
        MANAGE,
        query="show=actions",
        order=41,
    ),
    Todo(
        "deliberation_topics_new",
        gettext_lazy("New compound topics"),
        gettext_lazy("Topics residents raised, still collecting opinions"),
        lambda actor: bounded_count(selectors.topics_to_take_up(actor=actor)),
        "deliberation:work",
        CONVENE,
        query="show=topics",
        order=42,
    ),
)

register_portal(
    PortalCard(
        "compound",
        gettext_lazy("My Compound"),
        gettext_lazy("Notices, discussions and owners' votes"),
        (
            gettext_lazy("Notices from your community and property company"),
            gettext_lazy("Topics your neighbours raise, meetings and their minutes"),
            gettext_lazy("Owners' votes, counted by share of area as the Civil Code requires"),
        ),
        (
            (gettext_lazy("Topics and owners' votes of my compound"), "deliberation:compound-list"),
            (gettext_lazy("My account and verification"), "portal:profile-detail"),
            (gettext_lazy("Messages"), "notifications:inbox"),
        ),
        "区",
        order=20,
    )
)


def deliberation_card(actor: Any, region: Region) -> FigureCard:
    f = selectors.figures(actor=actor, region=region)
    turnout = None if f["mean_turnout_percent"] is None else f["mean_turnout_percent"] / 100
    done = f["actions_done"]
    on_time = f["actions_done_on_time"] / done if done else None
    items = [
        count_item("topics_raised", _("Topics raised"), f["topics_raised"]),
        count_item("topics_resolved", _("Topics resolved"), f["topics_resolved"]),
        count_item("votes_held", _("Votes held"), f["votes_held"]),
        share_item("mean_turnout", _("Mean turnout of owners"), turnout),
        count_item("actions_done", _("Actions done"), done),
        share_item("actions_on_time", _("Actions done on time"), on_time),
    ]
    return FigureCard(
        "deliberation",
        _("Compound affairs (小区里)"),
        _("All time; turnout is the share of owners who took part in closed votes."),
        reverse("deliberation:figures-view"),
        items,
    )


register_figures(Figure("deliberation", VIEW, deliberation_card, order=20))
