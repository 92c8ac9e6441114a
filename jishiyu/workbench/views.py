"""Staff workbench: what waits for me, my region's lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from jishiyu.core.shells import TOOLS, menu_for
from jishiyu.workbench.selectors import workbench_scopes, workbench_waiting


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """工作台. Not a staff member: 404, as for any page the account cannot see."""
    user = request.user
    if not getattr(user, "is_staff_member", False):
        raise Http404()
    context = {
        "cards": workbench_waiting(actor=user),
        "tools": [item for item in menu_for(user) if item.section == TOOLS],
        "scopes": workbench_scopes(actor=user),
    }
    return render(request, "workbench/home.html", context)
