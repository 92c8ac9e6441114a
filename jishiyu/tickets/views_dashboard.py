"""Staff pages of ticket figures and routing: the tickets dashboard (社区通看板), the tickets behind a rate
(三率明细) and the routing rules (派单规则). Thin: the figures come from figures/rates, writes from routing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jishiyu.core.errors import NotFound, ValidationFailed
from jishiyu.core.scope import path_in_scope
from jishiyu.organisations.models import Organisation
from jishiyu.regions.models import Region
from jishiyu.tickets import figures, rates, routing
from jishiyu.tickets.forms import grouped_categories
from jishiyu.tickets.models import Category


def _filters(request: HttpRequest) -> rates.Filters:
    try:
        return figures.figures_filters(actor=request.user, params=request.GET)
    except NotFound:
        raise Http404() from None


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """社区通看板."""
    try:
        filters = _filters(request)
    except ValidationFailed as error:
        messages.error(request, "; ".join(str(m) for ms in error.errors.values() for m in ms))
        return redirect(request.path)
    data = figures.ticket_figures(actor=request.user, filters=filters)
    paths = request.user.region_paths_for(rates.VIEW_PERMISSION)  # type: ignore[union-attr]
    crumbs = [{"region": r, "link": path_in_scope(r.path, paths)} for r in data.ancestors]
    base = filters.query_string()
    rows = [
        {"region": c, "drillable": c.kind in figures.DRILLABLE, "rates": data.child_rates[c.pk]} for c in data.children
    ]
    context: dict[str, Any] = {
        "f": data,
        "crumbs": crumbs,
        "rows": rows,
        "query": base,
        "start": request.GET.get("start", ""),
        "end": request.GET.get("end", ""),
        "rate_parts": [
            (key, rate, [(part, rates.PART_LABELS[part], n) for part, n in rate.parts.items()])
            for key, rate in data.rates.items()
        ],
        "accuracy": None if not data.model or data.model["accuracy"] is None else data.model["accuracy"] * 100,
    }
    return render(request, "tickets/dashboard.html", context)


@login_required
def figure_tickets(request: HttpRequest) -> HttpResponse:
    """三率明细: the tickets behind one part of a rate."""
    filters = _filters(request)
    try:
        qs = rates.rate_tickets(
            actor=request.user, filters=filters, rate=request.GET.get("rate", ""), part=request.GET.get("part", "")
        )
    except ValidationFailed:
        raise Http404() from None
    page = Paginator(qs.select_related("category", "handler_region", "handler_org").order_by("-received_at"), 50)
    context = {
        "page": page.get_page(request.GET.get("page")),
        "rate_label": rates.RATE_LABELS[request.GET["rate"]],
        "part": rates.PART_LABELS[request.GET["part"]],
        "filters": filters,
        "query": request.GET.urlencode(),
    }
    return render(request, "tickets/dashboard_tickets.html", context)


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    """派单规则: the district's rules and a form to add one."""
    rules = routing.routing_rule_list(actor=request.user)
    if not routing._rules_scope(request.user):
        raise Http404()
    errors: dict[str, list[Any]] = {}
    if request.method == "POST":
        try:
            routing.routing_rule_create(actor=request.user, data=request.POST.dict())
        except ValidationFailed as error:
            errors = error.errors
        else:
            messages.success(request, _("The rule was added."))
            return redirect("tickets:routing-rules")
    context = {
        "rules": rules,
        "errors": errors,
        "values": request.POST if errors else {},
        "levels": routing.Level.CHOICES,
        "category_groups": grouped_categories(
            Category.objects.filter(active=True).order_by("domain", "sort", "code"),
            lambda c: f"{c.code} {c.display_name}",
        ),
        "regions": Region.objects.exclude(kind=Region.Kind.COMPOUND).order_by("path"),
        "departments": Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, active=True).order_by("name"),
    }
    return render(request, "tickets/dashboard_rules.html", context, status=422 if errors else 200)


@login_required
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """删除派单规则."""
    try:
        routing.routing_rule_delete(actor=request.user, rule=routing.routing_rule_get(actor=request.user, rule_id=pk))
    except NotFound:
        raise Http404() from None
    messages.success(request, _("The rule was deleted."))
    return redirect("tickets:routing-rules")
