"""公益行 in the shells (jishiyu.core.shells): the staff menu, the desk's two queues as to-dos, the portal's
module card and the dashboard's module card."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jishiyu.charity import selectors
from jishiyu.charity.permissions import CHANGE, FINANCE, VIEW
from jishiyu.core.shells import (
    Figure,
    FigureCard,
    FigureItem,
    MenuEntry,
    PortalCard,
    Todo,
    bounded_count,
    count_item,
    register_figures,
    register_menu,
    register_portal,
    register_todos,
    yuan,
)
from jishiyu.regions.models import Region

register_menu(MenuEntry("charity", gettext_lazy("Charity"), "charity:desk", VIEW, order=50))

register_todos(
    Todo(
        "charity_claims",
        gettext_lazy("Claims to confirm"),
        gettext_lazy("Small wishes claimed, waiting for the gift or the money"),
        lambda actor: bounded_count(selectors.claims_to_confirm(actor=actor)),
        "charity:desk",
        CHANGE,
        order=30,
    ),
    Todo(
        "charity_donations",
        gettext_lazy("Donations to confirm"),
        gettext_lazy("Pledged by transfer or at the office, not yet received"),
        lambda actor: bounded_count(selectors.donation_pending_list(actor=actor, permission=FINANCE)),
        "charity:desk",
        FINANCE,
        order=31,
    ),
)

register_portal(
    PortalCard(
        "charity",
        gettext_lazy("Charity"),
        gettext_lazy("Charity projects, small wishes and volunteering"),
        (
            gettext_lazy("Charity projects near you and how every fen is spent"),
            gettext_lazy("Small wishes of neighbours in need that you can claim"),
            gettext_lazy("Volunteer activities, sign-up and your service hours"),
        ),
        (
            (gettext_lazy("Charity projects"), "charity:project-list"),
            (gettext_lazy("My giving"), "charity:giving-mine"),
        ),
        "益",
        order=30,
    )
)


def charity_card(actor: Any, region: Region) -> FigureCard:
    f = selectors.figures_summary(actor=actor, region=region)
    money, needs = f["money"], f["needs"]
    items = [
        FigureItem(
            "pledged_fen", pgettext("ledger", "Pledged"), money.get("pledged", 0), yuan(money.get("pledged", 0))
        ),
        FigureItem(
            "received_fen", pgettext("ledger", "Received"), money.get("received", 0), yuan(money.get("received", 0))
        ),
        FigureItem("spent_fen", pgettext("ledger", "Spent"), money.get("spent", 0), yuan(money.get("spent", 0))),
        count_item("roadshows", _("Roadshows"), f["roadshows"]),
        count_item("needs_claimed", _("Needs claimed"), needs.get("claimed", 0)),
        count_item("claims_fulfilled", _("Claims fulfilled"), needs.get("fulfilled", 0)),
    ]
    return FigureCard(
        "charity",
        _("Charity and volunteering (公益行)"),
        _("All time, in yuan; money from every source through the projects of this region."),
        reverse("charity:desk"),
        items,
    )


register_figures(Figure("charity", VIEW, charity_card, order=30))
