"""Pages of the circles app (幸福圈页面). Thin: selectors and services do the work."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from jishiyu.circles import selectors, services
from jishiyu.circles.models import Category, Circle
from jishiyu.core.errors import DomainError, NotFound


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def coverage_map(request: HttpRequest) -> HttpResponse:
    """覆盖地图: shares per community and circle, gaps on the map, suggested sites."""
    user: Any = request.user
    try:
        region = selectors.scoped_region(user, _int(request.GET.get("region")))
    except NotFound:
        raise Http404() from None
    circles = list(Circle.objects.all())
    circle = request.GET.get("circle") or (circles[0].code if circles else "")
    categories = list(Category.objects.filter(active=True, circle__code=circle))
    category = request.GET.get("category", "")
    sites: list[dict[str, Any]] = []
    if category:
        try:
            sites = selectors.sites(user, region, category, 5)
        except DomainError:
            sites = []
    shares = selectors.circle_shares(user, region)
    context = {
        "region": region,
        "shares": shares,
        "circles": circles,
        "circle": circle,
        "categories": categories,
        "category": category,
        "map_data": {"gaps": selectors.gaps(user, region, circle), "sites": sites},
        "runs": list(selectors.runs(user, region)),
        "can_change": bool(user.region_paths_for("circles.change")),
    }
    return render(request, "circles/coverage_map.html", context)


@login_required
@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    """Queue a recomputation; answers the progress fragment (htmx polls it)."""
    try:
        run = services.coverage_request(actor=request.user, region_id=_int(request.POST.get("region")) or 0)
    except NotFound:
        raise Http404() from None
    return render(request, "circles/_run.html", {"run": run})


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of one run (htmx polling)."""
    try:
        run = services.run_get(actor=request.user, run_id=pk)
    except NotFound:
        raise Http404() from None
    return render(request, "circles/_run.html", {"run": run})


@login_required
def near_me(request: HttpRequest) -> HttpResponse:
    """身边设施: what is near my home, circle by circle (resident, phone-first)."""
    return render(request, "circles/near_me.html", {"near": selectors.near_me(request.user)})
