"""Pages of the regions app: the tree browser (区划浏览), the address lookup (地址解析), exports. Thin."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jishiyu.core.errors import NotFound
from jishiyu.core.exports import xlsx_response
from jishiyu.core.pages import page_for
from jishiyu.regions import selectors
from jishiyu.regions.forms import AddressLookupForm
from jishiyu.regions.models import Region

PAGE_SIZE = 100


def _region_or_404(request: HttpRequest, pk: int) -> Region:
    try:
        return selectors.region_get(actor=request.user, region_id=pk)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None


def _children(request: HttpRequest, region: Region | None) -> Any:
    return selectors.region_list(actor=request.user, parent_id=region.pk if region else None)  # type: ignore[arg-type]


@page_for("regions.view")
def region_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """区划浏览: the roots of the user's scope, or one node with its children and buildings."""
    region = _region_or_404(request, pk) if pk is not None else None
    children = list(_children(request, region))
    buildings = None
    if region is not None and region.kind in (Region.Kind.COMMUNITY, Region.Kind.GRID, Region.Kind.COMPOUND):
        qs = selectors.building_list(actor=request.user, region=region)  # type: ignore[arg-type]
        buildings = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    features = selectors.region_features(([region] if region else []) + children)
    context = {
        "region": region,
        "path": selectors.region_path(actor=request.user, region=region) if region else [],  # type: ignore[arg-type]
        "children": [(c, selectors.buildings_count(c)) for c in children],
        "buildings": buildings,
        "features": features,
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
    }
    return render(request, "regions/region_list.html", context)


@login_required
def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """楼栋: its dwellings."""
    try:
        building = selectors.building_get(actor=request.user, building_id=pk)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    dwellings = Paginator(selectors.dwelling_list(actor=request.user, building=building), PAGE_SIZE)  # type: ignore[arg-type]
    return render(
        request,
        "regions/building_detail.html",
        {"building": building, "dwellings": dwellings.get_page(request.GET.get("page"))},
    )


@login_required
def address_lookup(request: HttpRequest) -> HttpResponse:
    """地址解析: the address goes in a POST body, never the URL."""
    result = None
    form = AddressLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = selectors.address_resolve(actor=request.user, address=form.cleaned_data["address"])  # type: ignore[arg-type]
    return render(request, "regions/address_lookup.html", {"form": form, "result": result})


@login_required
def region_export(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The list on screen as .xlsx: children of the node (or the scope roots)."""
    region = _region_or_404(request, pk) if pk is not None else None
    headers = [_("Place name"), _("Kind"), _("Division code"), _("Children"), _("Buildings"), _("Households")]
    rows = (
        [c.name, c.get_kind_display(), c.division_code, c.children_count, selectors.buildings_count(c), c.households]
        for c in _children(request, region)
    )
    return xlsx_response("regions.xlsx", headers, rows)


@login_required
def building_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A node's buildings as .xlsx."""
    region = _region_or_404(request, pk)
    headers = [_("Building number"), _("Compound"), _("Grid"), _("Entrances"), _("Dwellings")]
    rows = (
        [
            b.number,
            b.compound.name if b.compound else "",
            b.grid.name if b.grid else "",
            b.entrances_count,  # type: ignore[attr-defined]
            b.dwellings_count,  # type: ignore[attr-defined]
        ]
        for b in selectors.building_list(actor=request.user, region=region)  # type: ignore[arg-type]
    )
    return xlsx_response("buildings.xlsx", headers, rows)


@login_required
def dwelling_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A building's dwellings as .xlsx."""
    try:
        building = selectors.building_get(actor=request.user, building_id=pk)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    headers = [
        _("Dwelling"),
        _("Entrance"),
        _("Floor"),
        _("Exclusive area (m²)"),
        _("Area source"),
        _("Developer held"),
    ]
    rows = (
        [
            d.label,
            d.entrance.number if d.entrance else "",
            d.floor,
            str(d.exclusive_area) if d.exclusive_area is not None else "",
            d.get_area_source_display(),
            _("Yes") if d.developer_held else _("No"),
        ]
        for d in selectors.dwelling_list(actor=request.user, building=building)  # type: ignore[arg-type]
    )
    return xlsx_response("dwellings.xlsx", headers, rows)
