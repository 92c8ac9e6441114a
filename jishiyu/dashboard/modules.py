"""The modules' headline figures on the shared dashboard (看板 · 各模块).

The cards are not written here: each module declares its own in its shell.py (``register_figures`` of
``jishiyu.core.shells``: 社区通 in tickets, 小区里 in deliberation, 公益行 in charity, 幸福圈 in circles), read
through that module's own scoped selectors. A card is built only for an actor who holds the module's view
permission over the region: someone who may see the people figures but not tickets sees no ticket card.
Every card links to the module's own page, where each figure can be followed to the records behind it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from jishiyu.core.errors import NotFound
from jishiyu.core.shells import FigureCard, FigureItem, figures
from jishiyu.regions.models import Region
from jishiyu.regions.permissions import region_policy

# The card types, under the names the dashboard's callers know.
ModuleCard = FigureCard
Item = FigureItem
MODULES_TITLE = gettext_lazy("Across the modules")


def module_cards(*, actor: Any, region: Region) -> list[FigureCard]:
    """The cards of the modules whose view permission the actor holds over ``region`` (none leaks)."""
    cards = []
    for figure in figures():
        if not region_policy.allows_path(actor, figure.permission, region.path):
            continue
        try:
            cards.append(figure.build(actor, region))
        except NotFound:
            continue
    return cards
