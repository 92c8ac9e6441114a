"""The staff navigation (工作台 / 居民 / 区划 / 组织 / 审计 / 幸福圈 / 看板 / 工作人员账号), shown per permission."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from jishiyu.tickets.configuration import may_view_pages as may_view_ticket_settings
from jishiyu.workbench.links import url_or

register = template.Library()

# (key, label, permission needed, URL name, fallback path). None: any staff member; a callable: a rule
# that is more than one permission (the ticket settings: the district admin or a district dispatcher).
ITEMS = (
    ("workbench", _("Workbench"), None, "workbench:home", "/work/"),
    ("people", _("Residents"), "people.view", "people:person-list", "/people/"),
    ("tickets", _("Tickets"), "tickets.view", "tickets:ticket-list", "/tickets/"),  # tickets (社区通)
    ("ticket_settings", _("Ticket settings"), may_view_ticket_settings, "tickets:settings", "/tickets/settings/"),
    ("regions", _("Regions"), "regions.view", "regions:region-list", "/regions/"),
    ("organisations", _("Organisations"), "organisations.view", "organisations:organisation-list", "/organisations/"),
    ("charity", _("Charity"), "charity.view", "charity:desk", "/charity/desk/"),
    ("audit", _("Audit"), "audit.view", "audit:entry-list", "/audit/"),
    ("deliberation", _("Compound deliberation"), "deliberation.view", "deliberation:compound-list", "/compounds/"),
    ("circles", _("Life circles"), "circles.view", "circles:coverage-map", "/circles/"),  # circles (幸福圈)
    ("dashboard", _("Dashboard"), "people.view", "dashboard:home", "/dashboard/"),
    ("staff", _("Staff accounts"), "accounts.manage", "accounts:staff-list", "/accounts/staff/"),
)


@register.inclusion_tag("partials/staffnav.html", takes_context=True)
def staff_nav(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    items: list[dict[str, Any]] = []
    if user is not None and user.is_authenticated and getattr(user, "is_staff_member", False):
        current = request.path if request is not None else ""
        for key, label, permission, name, fallback in ITEMS:
            if permission is None:
                allowed = True
            else:
                allowed = permission(user) if callable(permission) else user.has_perm_anywhere(permission)
            if allowed:
                url = url_or(name, fallback)
                active = current == url if key == "workbench" else current.startswith(url)
                items.append({"key": key, "label": label, "url": url, "active": active})
        # Only the deepest match is current (/tickets/settings/ is not also /tickets/).
        longest = max((len(i["url"]) for i in items if i["active"]), default=0)
        for item in items:
            item["active"] = item["active"] and len(item["url"]) == longest
    return {"items": items}
