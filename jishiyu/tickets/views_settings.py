"""Staff pages of the district's ticket settings (社区通配置): the category catalogue, the time-limit policy
table and the holiday table. The district admin edits; a district dispatcher reads. Thin: the rules and
the checks live in ``jishiyu.tickets.configuration``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jishiyu.core.errors import DomainError
from jishiyu.core.pages import scoped
from jishiyu.tickets import configuration as conf
from jishiyu.tickets.catalogue import VERSION
from jishiyu.tickets.forms import add_domain_error
from jishiyu.tickets.forms_settings import CategoryForm, HolidayForm, TimeLimitForm, initial_of
from jishiyu.tickets.models import Category, Holiday, TimeLimitPolicy, TimeUnit

TABS = (
    ("categories", gettext_lazy("Categories"), "tickets:settings-categories"),
    ("time_limits", gettext_lazy("Time limits"), "tickets:settings-time-limits"),
    ("holidays", gettext_lazy("Holidays"), "tickets:settings-holidays"),
)


def _reader(request: HttpRequest) -> Any:
    if not conf.may_view_pages(request.user):
        raise Http404()
    return request.user


def _context(request: HttpRequest, tab: str, **extra: Any) -> dict[str, Any]:
    return {
        "tabs": [(key, label, reverse(name)) for key, label, name in TABS],
        "tab": tab,
        "may_edit": conf.may_edit(request.user),
        **extra,
    }


def _edit(
    request: HttpRequest,
    *,
    tab: str,
    form_class: type[forms.Form],
    instance: Any,
    initial: dict[str, Any],
    save: Callable[[dict[str, Any]], Any],
    title: str,
    back: str,
    delete_url: str = "",
) -> HttpResponse:
    """The one create/edit page: the form coerces types, the service checks the rules, errors sit beside
    their fields (422), success goes back to the list."""
    _reader(request)
    conf.require_edit(request.user)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(back)
    else:
        form = form_class(initial=initial_of(instance, form_class) if instance is not None else initial)
    context = _context(request, tab, form=form, title=title, back=back, delete_url=delete_url, instance=instance)
    return render(request, "tickets/settings_form.html", context, status=422 if form.errors else 200)


@scoped
def settings_home(request: HttpRequest) -> HttpResponse:
    _reader(request)
    return redirect("tickets:settings-categories")


# --- categories -------------------------------------------------------------------------------------


@scoped
def category_list(request: HttpRequest) -> HttpResponse:
    """事项分类: the catalogue of one version, parents with their children."""
    user = _reader(request)
    versions = conf.category_versions()
    version = request.GET.get("version") or (versions[0] if versions else VERSION)
    rows = list(conf.category_list(actor=user, version=version))
    children: dict[int | None, list[Category]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    known = {row.pk for row in rows}
    tops = [row for row in rows if row.parent_id is None or row.parent_id not in known]
    groups = [(top, children.get(top.pk, [])) for top in tops]
    context = _context(request, "categories", groups=groups, versions=versions, version=version, count=len(rows))
    return render(request, "tickets/settings_categories.html", context)


@scoped
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    category = conf.category_get(actor=request.user, category_id=pk) if pk is not None else None
    parent = request.GET.get("parent", "")
    initial: dict[str, Any] = {"active": True, "version": VERSION, "sort": 0, "parent": parent}
    if parent.isdigit():
        found = Category.objects.filter(pk=int(parent)).first()
        if found is not None:
            initial.update(domain=found.domain, version=found.version)
    return _edit(
        request,
        tab="categories",
        form_class=CategoryForm,
        instance=category,
        initial=initial,
        save=lambda data: conf.category_save(actor=request.user, data=data, category=category),
        title=(_("Change the category %(name)s") % {"name": category.name}) if category else _("Add a category"),
        back=reverse("tickets:settings-categories") + (f"?version={category.version}" if category else ""),
    )


# --- time limits ------------------------------------------------------------------------------------


@scoped
def time_limit_list(request: HttpRequest) -> HttpResponse:
    """办理时限."""
    user = _reader(request)
    policies = list(conf.time_limit_list(actor=user))
    return render(request, "tickets/settings_time_limits.html", _context(request, "time_limits", policies=policies))


@scoped
def time_limit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    policy = conf.time_limit_get(actor=request.user, policy_id=pk) if pk is not None else None
    initial = {
        "unit": TimeUnit.WORKING_DAYS,
        "sign_for_amount": 2,
        "sign_for_unit": TimeUnit.HOURS,
        "return_window_hours": 24,
        "warn_before_hours": 24,
    }
    return _edit(
        request,
        tab="time_limits",
        form_class=TimeLimitForm,
        instance=policy,
        initial=initial,
        save=lambda data: conf.time_limit_save(actor=request.user, data=data, policy=policy),
        title=(_("Change the time limit %(name)s") % {"name": policy}) if policy else _("Add a time limit"),
        back=reverse("tickets:settings-time-limits"),
        delete_url=reverse("tickets:settings-time-limit-delete", args=[policy.pk]) if policy else "",
    )


@scoped
@require_POST
def time_limit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    policy: TimeLimitPolicy = conf.time_limit_get(actor=request.user, policy_id=pk)
    conf.time_limit_delete(actor=request.user, policy=policy)
    messages.success(request, _("Deleted."))
    return redirect("tickets:settings-time-limits")


# --- holidays ---------------------------------------------------------------------------------------


@scoped
def holiday_list(request: HttpRequest) -> HttpResponse:
    """节假日: by year, with whether the calendar package covers that year."""
    user = _reader(request)
    years: dict[int, list[Holiday]] = {}
    for day in conf.holiday_list(actor=user):
        years.setdefault(day.date.year, []).append(day)
    rows = [(year, conf.year_covered(year), days) for year, days in sorted(years.items(), reverse=True)]
    covered_to = conf.last_covered_year()
    return render(
        request, "tickets/settings_holidays.html", _context(request, "holidays", years=rows, covered_to=covered_to)
    )


@scoped
def holiday_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    holiday = conf.holiday_get(actor=request.user, holiday_id=pk) if pk is not None else None
    return _edit(
        request,
        tab="holidays",
        form_class=HolidayForm,
        instance=holiday,
        initial={},
        save=lambda data: conf.holiday_save(actor=request.user, data=data, holiday=holiday),
        title=(_("Change %(date)s") % {"date": holiday.date.isoformat()}) if holiday else _("Add a day"),
        back=reverse("tickets:settings-holidays"),
        delete_url=reverse("tickets:settings-holiday-delete", args=[holiday.pk]) if holiday else "",
    )


@scoped
@require_POST
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    conf.holiday_delete(actor=request.user, holiday=conf.holiday_get(actor=request.user, holiday_id=pk))
    messages.success(request, _("Deleted."))
    return redirect("tickets:settings-holidays")
