"""社区通 in the shells (jishiyu.core.shells): the staff menu, the workbench's to-dos (each counted from the
queue it links to, so the badge equals the rows of that queue), the portal's module card and the dashboard's
module card (its figures come from ``jishiyu.tickets.rates``, as on the tickets dashboard)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jishiyu.core.errors import NotFound, PermissionDenied
from jishiyu.core.shells import (
    TOOLS,
    Figure,
    FigureCard,
    MenuEntry,
    PortalCard,
    Todo,
    any_of,
    bounded_count,
    count_item,
    register_figures,
    register_menu,
    register_portal,
    register_todos,
    share_item,
)
from jishiyu.regions.models import Region
from jishiyu.tickets import callbacks, figures, rates, selectors
from jishiyu.tickets.configuration import may_view_pages as may_view_ticket_settings

TICKET_DAYS = rates.DEFAULT_DAYS
CONFIGURE = "tickets.configure"
# A department handler holds the department's variants of these.
MAY_VIEW = any_of("tickets.view", "tickets.view_department")
MAY_HANDLE = any_of("tickets.handle", "tickets.handle_department")


def may_view_figures(actor: Any) -> bool:
    """The tickets dashboard opens on a node one can drill into (a grid worker's grid is not one)."""
    try:
        figures.figures_region_get(actor=actor)
    except NotFound:
        return False
    return True


register_menu(
    MenuEntry("tickets", gettext_lazy("Tickets"), "tickets:ticket-list", MAY_VIEW, order=30),
    MenuEntry(
        "ticket_figures", gettext_lazy("Ticket figures"), "tickets:figures-dashboard", may_view_figures, 200, TOOLS
    ),
    MenuEntry(
        "ticket_settings", gettext_lazy("Ticket settings"), "tickets:settings", may_view_ticket_settings, 210, TOOLS
    ),
    MenuEntry("routing_rules", gettext_lazy("Routing rules"), "tickets:routing-rules", CONFIGURE, 220, TOOLS),
    MenuEntry("hotline_sources", gettext_lazy("12345 sources"), "tickets_hotline:source-list", CONFIGURE, 230, TOOLS),
)


def _queue(name: str) -> Any:
    def count(actor: Any) -> int:
        return bounded_count(selectors.ticket_queue(actor=actor, queue=name))

    count.__name__ = f"count_{name}"
    return count


def _failing_callbacks(actor: Any) -> int:
    try:
        return bounded_count(callbacks.callback_failing_list(actor=actor))
    except PermissionDenied:
        return 0


register_todos(
    Todo(
        "tickets_to_dispatch",
        gettext_lazy("Tickets to dispatch"),
        gettext_lazy("Accepted or returned, waiting for a handler"),
        _queue("to_dispatch"),
        "tickets:ticket-list",
        "tickets.dispatch",
        "queue=to_dispatch",
        order=10,
    ),
    Todo(
        "tickets_to_sign_for",
        gettext_lazy("Tickets to sign for"),
        gettext_lazy("Dispatched to you, not yet signed for"),
        _queue("to_sign_for"),
        "tickets:ticket-list",
        MAY_HANDLE,
        "queue=to_sign_for",
        order=11,
    ),
    Todo(
        "tickets_overdue",
        gettext_lazy("Overdue tickets"),
        gettext_lazy("Past their time limit and still open"),
        _queue("overdue"),
        "tickets:ticket-list",
        MAY_VIEW,
        "queue=overdue",
        order=12,
    ),
    Todo(
        "tickets_to_review",
        gettext_lazy("Tickets to review"),
        gettext_lazy("Replies, extensions and screenings waiting for your decision"),
        _queue("to_review"),
        "tickets:ticket-list",
        "tickets.review",
        "queue=to_review",
        order=13,
    ),
    Todo(
        "tickets_to_follow_up",
        gettext_lazy("Tickets to follow up"),
        gettext_lazy("Approved replies: call the resident back"),
        _queue("to_follow_up"),
        "tickets:ticket-list",
        "tickets.review",
        "queue=to_follow_up",
        order=14,
    ),
    Todo(
        "tickets_open",
        gettext_lazy("My open tickets"),
        gettext_lazy("Every open ticket in your area"),
        _queue("all"),
        "tickets:ticket-list",
        MAY_HANDLE,
        "queue=all",
        order=15,
    ),
    Todo(
        "tickets_callbacks_failing",
        gettext_lazy("Failing 12345 callbacks"),
        gettext_lazy("Answers the hotline has not received yet"),
        _failing_callbacks,
        "tickets_hotline:callback-failing",
        CONFIGURE,
        order=16,
    ),
)

register_portal(
    PortalCard(
        "community",
        gettext_lazy("Community Link"),
        gettext_lazy("Ask for help, report a problem, follow your requests"),
        (
            gettext_lazy("Report a problem in your neighbourhood with a photo and the place"),
            gettext_lazy("Follow each request until it is solved, and rate the answer"),
            gettext_lazy("Requests from the 12345 hotline arrive here too"),
        ),
        (
            (gettext_lazy("Ask your community"), "tickets:ticket-create"),
            (gettext_lazy("My requests"), "portal:request-list"),
            (gettext_lazy("Messages"), "notifications:inbox"),
        ),
        "社",
        order=10,
    )
)


def ticket_card(actor: Any, region: Region) -> FigureCard:
    """社区通 on the dashboard: the last 30 days' volume and rates, and what is overdue now."""
    # The same counts and period as the tickets dashboard: one definition in rates.
    filters = rates.Filters(rates.default_period(days=TICKET_DAYS), region)
    the_rates = rates.rates(actor=actor, filters=filters)
    received = rates.received_tickets(actor=actor, filters=filters)
    overdue = rates.overdue_tickets(actor=actor, filters=rates.Filters(region=region))
    items = [count_item("received", _("Tickets received"), received.count())]
    items += [share_item(key, rate.label, rate.value) for key, rate in the_rates.items()]
    items.append(count_item("overdue", _("Overdue now"), overdue.count()))
    # The tickets dashboard drills down to a community; a grid's card leads to its queue.
    if region.kind in figures.DRILLABLE:
        link = f"{reverse('tickets:figures-dashboard')}?region={region.pk}"
    else:
        link = reverse("tickets:ticket-list")
    return FigureCard(
        "tickets",
        _("Community requests (社区通)"),
        _("Last %(days)d days; overdue counts every open ticket.") % {"days": TICKET_DAYS},
        link,
        items,
    )


register_figures(Figure("tickets", rates.VIEW_PERMISSION, ticket_card, order=10))
