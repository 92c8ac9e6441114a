"""Staff pages of the people app (desk-first). Thin: parse with a form, call a selector or a
service, render. Out of scope answers 404 exactly like a missing record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jishiyu.accounts.models import User
from jishiyu.core.errors import DomainError, NotFound
from jishiyu.core.errors import PermissionDenied as DomainPermissionDenied
from jishiyu.core.exports import xlsx_response
from jishiyu.core.pages import page_for, scoped
from jishiyu.people import selectors, services
from jishiyu.people.forms import REVEAL_FIELDS, PersonExportForm, PersonFilterForm, PersonForm, RevealForm
from jishiyu.people.permissions import household_policy, person_policy

PAGE_SIZE = 50


def paginate(request: HttpRequest, queryset: Any) -> dict[str, Any]:
    """The requested page of a list, and the query string without the page (for the page links)."""
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")), "query": query.urlencode()}


@page_for("people.view")
@scoped
def person_list(request: HttpRequest) -> HttpResponse:
    """居民列表: filters update the table in place (htmx)."""
    form = PersonFilterForm(request.GET or None, actor=request.user)
    filters = form.filters() if request.GET else selectors.PersonFilters()
    user: Any = request.user
    context = {
        "form": form,
        **paginate(request, selectors.person_list(actor=request.user, filters=filters)),
        "export_form": PersonExportForm(initial=request.GET.dict(), actor=request.user),
        "may_export": person_policy.allows_anywhere(user, "people.export"),
        "may_reveal": person_policy.allows_anywhere(user, "people.reveal"),
        "may_change": person_policy.allows_anywhere(user, "people.change"),
    }
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "people-table":
        return render(request, "people/_person_table.html", context)
    return render(request, "people/person_list.html", context)


@scoped
@require_POST
def person_export(request: HttpRequest) -> HttpResponse:
    """导出 .xlsx (audited)."""
    form = PersonExportForm(request.POST, actor=request.user)
    if not form.is_valid():
        # Never export more than was asked: a filter that does not hold (a region outside the actor's area, a
        # bad value) refuses the export, naming the field, rather than being dropped.
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return redirect("people:person-list")
    filters = form.filters()
    data = form.cleaned_data
    try:
        export = services.person_export(
            actor=request.user,
            filters=filters,
            include_sensitive=bool(data.get("include_sensitive")),
            reason=data.get("reason", ""),
        )
    except DomainError as exc:
        if isinstance(exc, NotFound | DomainPermissionDenied):
            raise
        messages.error(request, str(exc.message))
        return redirect("people:person-list")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = xlsx_response(f"people-{stamp}.xlsx", export.headers, export.rows)
    add_never_cache_headers(response)
    return response


@scoped
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """居民详情: masked values, each with a reveal button."""
    person = selectors.person_get(actor=request.user, person_id=person_id)
    user: Any = request.user
    context = {
        "person": person,
        "residences": selectors.person_residences(actor=user, person=person),
        "ownerships": selectors.person_ownerships(actor=user, person=person),
        "members": selectors.household_members(actor=user, household=person.household) if person.household else [],
        "household_visible": person.household is not None
        and household_policy.allows(user, "people.view", person.household),
        "may_reveal": person_may(user, "people.reveal", person),
        "may_change": person_may(user, "people.change", person),
    }
    return render(request, "people/person_detail.html", context)


def person_may(user: Any, permission: str, person: Any) -> bool:
    return person_policy.allows(user, permission, person)


@scoped
@require_http_methods(["GET", "POST"])
def person_reveal(request: HttpRequest, person_id: int, field: str) -> HttpResponse:
    """查看明文: asks for the reason, then swaps in the plain value (never cached)."""
    if field not in dict(REVEAL_FIELDS):
        raise Http404()
    person = selectors.person_get(actor=request.user, person_id=person_id)
    form = RevealForm(request.POST or None)
    context: dict[str, Any] = {"person": person, "field": field, "label": dict(REVEAL_FIELDS)[field], "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            context["value"] = services.person_reveal(
                actor=request.user, person=person, field=field, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            if isinstance(exc, NotFound | DomainPermissionDenied):
                raise
            form.add_error("reason", str(exc.message))
    template = "people/_reveal.html" if getattr(request, "htmx", False) else "people/reveal.html"
    response = render(request, template, context, status=422 if form.errors else 200)
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, " + response["Cache-Control"]
    return response


@scoped
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    """登记居民."""
    user: Any = request.user
    if not person_policy.allows_anywhere(user, "people.change"):
        raise Http404()
    form = PersonForm(request.POST or None, actor=user)
    return form_page(request, form, "people/person_form.html", done=_("Registered."), detail="people:person-detail")


@scoped
@require_http_methods(["GET", "POST"])
def person_update(request: HttpRequest, person_id: int) -> HttpResponse:
    """修改居民信息."""
    person = selectors.person_get(actor=request.user, person_id=person_id)
    if not person_may(request.user, "people.change", person):
        raise DomainPermissionDenied()
    form = PersonForm(request.POST or None, actor=request.user, person=person)
    return form_page(
        request,
        form,
        "people/person_form.html",
        done=_("Saved."),
        detail="people:person-detail",
        context={"person": person},
    )


def form_page(
    request: HttpRequest,
    form: Any,
    template: str,
    *,
    done: str,
    detail: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form page: a valid POST whose ``form.save()`` stores a record says ``done`` and goes to the record's
    ``detail`` page; otherwise the form again (422, the service's refusals beside their fields)."""
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved is not None:
            messages.success(request, done)
            return redirect(detail, saved.pk)
    return render(request, template, {"form": form, **(context or {})}, status=422 if form.errors else 200)


@page_for("people.verify")
@scoped
def person_awaiting(request: HttpRequest) -> HttpResponse:
    """待认证居民."""
    items = selectors.residents_awaiting_verification(actor=request.user)
    return render(request, "people/person_awaiting.html", {"items": items})


@scoped
@require_POST
def person_verify(request: HttpRequest, person_id: int) -> HttpResponse:
    """认证居民 (from the awaiting list)."""
    person = selectors.person_get(actor=request.user, person_id=person_id, permission="people.verify")
    account = User.objects.filter(pk=request.POST.get("user_id") or 0, is_active=True).first()
    if account is None:
        raise Http404()
    try:
        services.person_verify_resident(actor=request.user, person=person, user=account)
        messages.success(request, _("Verified as a resident."))
    except DomainError as exc:
        if isinstance(exc, NotFound | DomainPermissionDenied):
            raise
        messages.error(request, str(exc.message))
    return redirect("people:person-awaiting")
