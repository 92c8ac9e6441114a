"""The staff navigation (工作台 / 居民 / 工单 / … / 看板 / 工作人员账号), shown per permission.

The entries are not written here: each app declares its own in its shell.py (``register_menu`` of
``jishiyu.core.shells``); this tag shows those the user passes, the tabs ("main") and the tools behind
"More" ("tools")."""

from __future__ import annotations

from typing import Any

from django import template

from jishiyu.core.shells import MAIN, TOOLS, menu_for

register = template.Library()


@register.inclusion_tag("partials/staffnav.html", takes_context=True)
def staff_nav(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    items: list[dict[str, Any]] = []
    if user is not None and user.is_authenticated and getattr(user, "is_staff_member", False):
        current = request.path if request is not None else ""
        for entry in menu_for(user):
            path = entry.url.split("?", 1)[0]
            active = current == path if entry.key == "workbench" else current.startswith(path)
            items.append(
                {"key": entry.key, "label": entry.label, "url": entry.url, "section": entry.section, "active": active}
            )
        # Only the deepest match is current (/tickets/settings/ is not also /tickets/).
        longest = max((len(i["url"]) for i in items if i["active"]), default=0)
        for item in items:
            item["active"] = item["active"] and len(item["url"]) == longest
    main = [i for i in items if i["section"] == MAIN]
    tools = [i for i in items if i["section"] == TOOLS]
    return {"items": items, "main": main, "tools": tools, "tools_active": any(i["active"] for i in tools)}
