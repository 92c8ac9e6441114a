"""幸福圈 in the shells (jishiyu.core.shells): the staff menu, the portal's module card and the dashboard's
module card (coverage per circle from the latest run)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jishiyu.circles import selectors
from jishiyu.circles.models import Circle
from jishiyu.core.shells import (
    Figure,
    FigureCard,
    MenuEntry,
    PortalCard,
    Todo,
    bounded_count,
    register_figures,
    register_menu,
    register_portal,
    register_todos,
    share_item,
)
from jishiyu.regions.models import Region

VIEW = "circles.view"
CHANGE = "circles.change"

register_menu(MenuEntry("circles", gettext_lazy("Life circles"), "circles:coverage-map", VIEW, order=65))

register_todos(
    Todo(
        "circles_facilities_gone",
        gettext_lazy("Facilities to confirm"),
        gettext_lazy("Facilities a newer map extract no longer holds: closed, or still there?"),
        lambda actor: bounded_count(selectors.facilities_gone(actor)),
        "circles:facility-list",
        CHANGE,
        query="show=gone",
        order=50,
    ),
)

register_portal(
    PortalCard(
        "circles",
        gettext_lazy("Life Circles"),
        gettext_lazy("Shops, sports and clinics within 5, 10 and 15 minutes"),
        (
            gettext_lazy("Clinics, shops, canteens and sports grounds near your home"),
            gettext_lazy("What you can reach on foot in 5, 10 and 15 minutes"),
            gettext_lazy("Tell us what is missing near you"),
        ),
        (
            (gettext_lazy("What is near me"), "circles:near-me"),
            (gettext_lazy("My requests"), "portal:request-list"),
            (gettext_lazy("My account"), "portal:profile-detail"),
        ),
        "福",
        order=40,
    )
)


def circles_card(actor: Any, region: Region) -> FigureCard:
    shares = selectors.circle_totals(actor, region)
    items = [share_item(c.code, c.label, shares.get(c.code)) for c in Circle.objects.all()]
    return FigureCard(
        "circles",
        _("Life circles (幸福圈)"),
        _("Share of residents within walking distance of every category of the circle, from the latest run."),
        f"{reverse('circles:coverage-map')}?region={region.pk}",
        items,
    )


register_figures(Figure("circles", VIEW, circles_card, order=40))
