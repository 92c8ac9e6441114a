"""Dashboard pages (数据看板): drill-down district → street → community, a chart and a table."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jishiyu.core.errors import NotFound
from jishiyu.core.exports import xlsx_response
from jishiyu.dashboard.modules import MODULES_TITLE, module_cards
from jishiyu.dashboard.presenters import table_headers, table_rows
from jishiyu.dashboard.selectors import (
    DASHBOARD_PERMISSION,
    Figures,
    dashboard_figures,
    dashboard_region_get,
    dashboard_roots,
)
from jishiyu.regions.permissions import region_policy


def _figures(request: HttpRequest) -> Figures:
    try:
        region = dashboard_region_get(actor=request.user, region_id=request.GET.get("region"))
    except NotFound:
        raise Http404() from None
    return dashboard_figures(actor=request.user, region=region)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """数据看板."""
    figures = _figures(request)
    # Ancestors above the actor's scope are named but not linked: opening them would answer 404.
    actor: Any = request.user
    crumbs = [
        {"region": r, "link": region_policy.allows_path(actor, DASHBOARD_PERMISSION, r.path)} for r in figures.ancestors
    ]
    context: dict[str, Any] = {
        "figures": figures,
        "crumbs": crumbs,
        "roots": list(dashboard_roots(actor=request.user)),
        "headers": table_headers(figures),
        "rows": list(zip(figures.rows, list(table_rows(figures))[:-1], strict=True)),
        "total": list(table_rows(figures))[-1],
        "modules_title": MODULES_TITLE,
        "modules": module_cards(actor=request.user, region=figures.region),
    }
    return render(request, "dashboard/home.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """导出看板表格 (.xlsx)."""
    figures = _figures(request)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return xlsx_response(f"dashboard-{figures.region.pk}-{stamp}.xlsx", table_headers(figures), table_rows(figures))
