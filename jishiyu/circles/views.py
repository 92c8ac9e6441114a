"""Pages of the circles app (幸福圈页面). Thin: selectors and services do the work."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jishiyu.circles import selectors, services
from jishiyu.circles.forms import CategoryForm, FacilityForm, FacilityImportForm, add_errors
from jishiyu.circles.models import Category, Circle
from jishiyu.circles.permissions import facility_policy
from jishiyu.core.errors import DomainError, NotFound, ValidationFailed
from jishiyu.core.scope import holds_anywhere


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
        "can_change": holds_anywhere(user, "circles.change"),
        "can_edit_catalogue": services.may_edit_catalogue(user),
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


# ------------------------------------------------------------------------------ catalogue (设施目录)


def _catalogue_actor(request: HttpRequest) -> Any:
    if not services.may_edit_catalogue(request.user):
        raise PermissionDenied()
    return request.user


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """设施目录: categories per circle, for the district to edit."""
    _catalogue_actor(request)
    circles = list(Circle.objects.prefetch_related("categories"))
    return render(request, "circles/catalogue.html", {"circles": circles})


@login_required
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one catalogue category: name, circle, OSM tags, active."""
    actor = _catalogue_actor(request)
    category = get_object_or_404(Category, pk=pk)
    if request.method == "POST":
        form = CategoryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.category_update(
                    actor=actor,
                    category_id=category.pk,
                    name=data["name"],
                    circle_id=data["circle"].pk,
                    osm_tags=data["osm_tags"],
                    active=data["active"],
                )
            except ValidationFailed as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The category is saved."))
                return redirect("circles:catalogue-list")
    else:
        form = CategoryForm(
            initial={
                "name": category.name,
                "circle": category.circle_id,
                "osm_tags": category.osm_tags,
                "active": category.active,
            }
        )
    return render(request, "circles/category_form.html", {"form": form, "category": category})


# ---------------------------------------------------------------------------- facilities (设施点)


@login_required
def facility_list(request: HttpRequest) -> HttpResponse:
    """设施列表: facilities in scope, with forms to add one and to import a file."""
    user: Any = request.user
    try:
        region = selectors.scoped_region(user, _int(request.GET.get("region")))
    except NotFound:
        raise Http404() from None
    can_change = holds_anywhere(user, "circles.change")
    form = FacilityForm(actor=user, initial={"region": region.pk}) if can_change else None
    upload = FacilityImportForm(actor=user, initial={"region": region.pk}) if can_change else None
    if can_change and request.method == "POST":
        if "file" in request.FILES:
            upload = FacilityImportForm(request.POST, request.FILES, actor=user)
            if upload.is_valid():
                file = upload.cleaned_data["file"]
                try:
                    counts = services.facility_import(
                        actor=user, region_id=upload.cleaned_data["region"], filename=file.name, content=file.read()
                    )
                except NotFound:
                    raise Http404() from None
                except ValidationFailed as exc:
                    add_errors(upload, exc)
                else:
                    messages.success(
                        request,
                        _("%(created)d facilities added, %(updated)d updated, %(unchanged)d unchanged.")
                        % {"created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged},
                    )
                    return redirect(f"{reverse('circles:facility-list')}?region={region.pk}")
        else:
            form = FacilityForm(request.POST, actor=user)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.facility_create(
                        actor=user,
                        region_id=data["region"],
                        category=data["category"],
                        name=data["name"],
                        lon=data["lon"],
                        lat=data["lat"],
                    )
                except NotFound:
                    raise Http404() from None
                except ValidationFailed as exc:
                    add_errors(form, exc)
                else:
                    messages.success(request, _("The facility is saved."))
                    return redirect(f"{reverse('circles:facility-list')}?region={region.pk}")
    elif request.method == "POST":
        raise Http404()
    gone = request.GET.get("show") == "gone" and can_change
    listed = selectors.facilities_gone if gone else selectors.facilities
    facilities = listed(user, region)[:500]
    context = {
        "region": region,
        "facilities": facilities,
        "form": form,
        "upload": upload,
        "can_change": can_change,
        "gone": gone,
    }
    return render(request, "circles/facility_list.html", context)


@login_required
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one facility in scope (修改设施)."""
    user: Any = request.user
    try:
        facility = facility_policy.get(user, "circles.change", pk=pk)
    except NotFound:
        raise Http404() from None
    if request.method == "POST":
        form = FacilityForm(request.POST, actor=user, editing=True)
        form.fields["region"].required = False
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.facility_update(
                    actor=user,
                    facility_id=facility.pk,
                    category=data["category"],
                    name=data["name"],
                    lon=data["lon"],
                    lat=data["lat"],
                    active=data["active"],
                )
            except NotFound:
                raise Http404() from None
            except ValidationFailed as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The facility is saved."))
                return redirect(f"{reverse('circles:facility-list')}?region={facility.region_id}")
    else:
        form = FacilityForm(
            actor=user,
            editing=True,
            initial={
                "region": facility.region_id,
                "category": facility.category.code,
                "name": facility.name,
                "lon": facility.lon,
                "lat": facility.lat,
                "active": facility.active,
            },
        )
    form.fields["region"].disabled = True
    return render(request, "circles/facility_form.html", {"form": form, "facility": facility})
