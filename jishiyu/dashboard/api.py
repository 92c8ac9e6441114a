"""JSON API of the dashboard app (mounted under /api/v1/)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from jishiyu.dashboard.modules import module_cards
from jishiyu.dashboard.presenters import figures_payload
from jishiyu.dashboard.schemas import FiguresOut
from jishiyu.dashboard.selectors import dashboard_figures, dashboard_region_get

router = Router(tags=["dashboard"])


@router.get("/figures", response=FiguresOut, summary="Figures per child region (分级统计)")
def figures(request: HttpRequest, region: int | None = None) -> dict[str, Any]:
    """Residents, households, dwellings, people in difficulty by tag and verified accounts per child of
    ``region`` (default: the caller's scope root). A region outside the caller's scope answers 404."""
    actor = request.auth  # type: ignore[attr-defined]
    node = dashboard_region_get(actor=actor, region_id=region)
    return figures_payload(dashboard_figures(actor=actor, region=node))


@router.get("/modules", summary="Headline figures of each module for a region (各模块)")
def modules(request: HttpRequest, region: int | None = None) -> dict[str, Any]:
    """社区通, 小区里, 公益行 and 幸福圈 for ``region`` (default: the caller's scope root): one card per module
    whose view permission the caller holds over the region; a region outside the dashboard scope answers 404."""
    actor = request.auth  # type: ignore[attr-defined]
    node = dashboard_region_get(actor=actor, region_id=region)
    return {
        "region": {"id": node.pk, "name": node.name},
        "modules": [card.as_json() for card in module_cards(actor=actor, region=node)],
    }
