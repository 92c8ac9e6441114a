"""Staff pages of organisations (组织): a dense, filterable list and a detail page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jishiyu.core.errors import NotFound
from jishiyu.core.exports import xlsx_response
from jishiyu.core.pages import page_for
from jishiyu.organisations import selectors
from jishiyu.organisations.models import Organisation

PAGE_SIZE = 50


def _filtered(request: HttpRequest) -> tuple[str, str, QuerySet[Organisation]]:
    kind = request.GET.get("kind", "")
    kind = kind if kind in Organisation.Kind.values else ""
    q = request.GET.get("q", "")[:100]
    return kind, q, selectors.organisation_list(actor=request.user, kind=kind, q=q)


@page_for("organisations.view")
def organisation_list(request: HttpRequest) -> HttpResponse:
    """组织列表."""
    kind, q, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/organisation_list.html",
        {"page": page, "kind": kind, "q": q, "kinds": Organisation.Kind.choices, "query": query.urlencode()},
    )


@login_required
def organisation_export(request: HttpRequest) -> HttpResponse:
    """导出组织列表 (.xlsx): the same rows the list shows."""
    _kind, _q, qs = _filtered(request)
    headers = [
        _("Kind"),
        _("Organisation name"),
        _("Region"),
        _("Unified social credit code"),
        _("Contact"),
        _("Active"),
    ]
    rows = (
        [o.get_kind_display(), o.name, o.region.name, o.credit_code, o.contact_name, _("Yes") if o.active else _("No")]
        for o in qs
    )
    return xlsx_response(f"organisations-{timezone.localdate():%Y%m%d}.xlsx", headers, rows)


@login_required
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """组织详情与成员."""
    try:
        organisation = selectors.organisation_get(actor=request.user, organisation_id=organisation_id)
        members = selectors.membership_list(actor=request.user, organisation=organisation)
    except NotFound:
        raise Http404 from None
    return render(request, "organisations/organisation_detail.html", {"org": organisation, "members": members})
