"""The modules' headline figures on the shared dashboard (看板 · 各模块): 社区通, 小区里, 公益行, 幸福圈.

Each card sums one module for the dashboard's region, read through that module's own scoped selectors,
and only for an actor who holds the module's view permission over the region: someone who may see the
people figures but not tickets sees no ticket card. Every card links to the module's own page, where
each figure can be followed to the records behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jishiyu.charity import selectors as charity_selectors
from jishiyu.charity.permissions import VIEW as CHARITY_VIEW
from jishiyu.circles import selectors as circles_selectors
from jishiyu.circles.models import Circle
from jishiyu.core.errors import NotFound
from jishiyu.core.scope import path_in_scope
from jishiyu.deliberation import selectors as deliberation_selectors
from jishiyu.deliberation.services import VIEW as DELIBERATION_VIEW
from jishiyu.regions.models import Region
from jishiyu.tickets import rates

TICKET_DAYS = rates.DEFAULT_DAYS
CIRCLES_VIEW = "circles.view"


@dataclass
class Item:
    key: str
    label: str
    value: Any  # a number, a percentage string, or None for "no data"
    display: str


@dataclass
class ModuleCard:
    key: str
    title: str
    note: str
    link: str
    items: list[Item] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "module": self.key,
            "title": self.title,
            "note": self.note,
            "link": self.link,
            "figures": [{"key": i.key, "label": i.label, "value": i.value} for i in self.items],
        }


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _yuan(fen: int) -> str:
    return f"¥{fen / 100:,.2f}"


def _count(key: str, label: str, n: int) -> Item:
    return Item(key, label, n, str(n))


def _share(key: str, label: str, value: float | None) -> Item:
    return Item(key, label, None if value is None else round(value, 4), _percent(value))


def _tickets(actor: Any, region: Region) -> ModuleCard:
    filters = rates.Filters(rates.default_period(days=TICKET_DAYS), region)
    the_rates = rates.rates(actor=actor, filters=filters)
    received = rates.received_tickets(actor=actor, filters=filters)
    overdue = rates.overdue_tickets(actor=actor, filters=rates.Filters(region=region))
    items = [_count("received", _("Tickets received"), received.count())]
    items += [_share(key, rate.label, rate.value) for key, rate in the_rates.items()]
    items.append(_count("overdue", _("Overdue now"), overdue.count()))
    return ModuleCard(
        "tickets",
        _("Community requests (社区通)"),
        _("Last %(days)d days; overdue counts every open ticket.") % {"days": TICKET_DAYS},
        f"{reverse('tickets:figures-dashboard')}?region={region.pk}",
        items,
    )


def _deliberation(actor: Any, region: Region) -> ModuleCard:
    f = deliberation_selectors.figures(actor=actor, region=region)
    turnout = None if f["mean_turnout_percent"] is None else f["mean_turnout_percent"] / 100
    done = f["actions_done"]
    on_time = f["actions_done_on_time"] / done if done else None
    items = [
        _count("topics_raised", _("Topics raised"), f["topics_raised"]),
        _count("topics_resolved", _("Topics resolved"), f["topics_resolved"]),
        _count("votes_held", _("Votes held"), f["votes_held"]),
        _share("mean_turnout", _("Mean turnout of owners"), turnout),
        _count("actions_done", _("Actions done"), done),
        _share("actions_on_time", _("Actions done on time"), on_time),
    ]
    return ModuleCard(
        "deliberation",
        _("Compound affairs (小区里)"),
        _("All time; turnout is the share of owners who took part in closed votes."),
        reverse("deliberation:figures-view"),
        items,
    )


def _charity(actor: Any, region: Region) -> ModuleCard:
    f = charity_selectors.figures_summary(actor=actor, region=region)
    money, needs = f["money"], f["needs"]
    items = [
        Item("pledged_fen", pgettext("ledger", "Pledged"), money.get("pledged", 0), _yuan(money.get("pledged", 0))),
        Item("received_fen", pgettext("ledger", "Received"), money.get("received", 0), _yuan(money.get("received", 0))),
        Item("spent_fen", pgettext("ledger", "Spent"), money.get("spent", 0), _yuan(money.get("spent", 0))),
        _count("roadshows", _("Roadshows"), f["roadshows"]),
        _count("needs_claimed", _("Needs claimed"), needs.get("claimed", 0)),
        _count("claims_fulfilled", _("Claims fulfilled"), needs.get("fulfilled", 0)),
    ]
    return ModuleCard(
        "charity",
        _("Charity and volunteering (公益行)"),
        _("All time, in yuan; money from every source through the projects of this region."),
        reverse("charity:desk"),
        items,
    )


def _circles(actor: Any, region: Region) -> ModuleCard:
    shares = circles_selectors.circle_totals(actor, region)
    items = [_share(c.code, c.label, shares.get(c.code)) for c in Circle.objects.all()]
    return ModuleCard(
        "circles",
        _("Life circles (幸福圈)"),
        _("Share of residents within walking distance of every category of the circle, from the latest run."),
        f"{reverse('circles:coverage-map')}?region={region.pk}",
        items,
    )


MODULES: list[tuple[str, Callable[[Any, Region], ModuleCard]]] = [
    (rates.VIEW_PERMISSION, _tickets),
    (DELIBERATION_VIEW, _deliberation),
    (CHARITY_VIEW, _charity),
    (CIRCLES_VIEW, _circles),
]
MODULES_TITLE = gettext_lazy("Across the modules")


def module_cards(*, actor: Any, region: Region) -> list[ModuleCard]:
    """The cards of the modules whose view permission the actor holds over ``region`` (none leaks)."""
    cards = []
    for permission, build in MODULES:
        if not path_in_scope(region.path, actor.region_paths_for(permission)):
            continue
        try:
            cards.append(build(actor, region))
        except NotFound:
            continue
    return cards
