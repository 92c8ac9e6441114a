"""Forms of the district's ticket settings pages. They only render the fields and carry the submitted text:
every check (choices, numbers, dates, the rules) is made once, by ``jishiyu.tickets.configuration``, which
the API shares, and its messages come back beside each field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jishiyu.tickets.forms import grouped_categories
from jishiyu.tickets.models import Category, Channel, Kind, Source, TimeUnit, Urgency

ANY = ("", _("Any"))


class DateInput(forms.DateInput):
    input_type = "date"


def _text(label: Any, *, help_text: Any = "", widget: Any = None) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text, widget=widget, strip=True)


def _select(label: Any, choices: Any, *, help_text: Any = "") -> forms.CharField:
    """A select whose value the service checks (an unknown value gets the service's message)."""
    return _text(label, help_text=help_text, widget=forms.Select(choices=choices))


def _number(label: Any, *, help_text: Any = "") -> forms.CharField:
    return _text(label, help_text=help_text, widget=forms.NumberInput(attrs={"min": 0}))


def _category_choices() -> list[tuple[str, Any]]:
    """Every category of every version, grouped under its top-level one."""
    rows = Category.objects.order_by("domain", "version", "sort", "code")
    return [("", "—"), *grouped_categories(rows, lambda c: f"{c.code} {c.display_name} ({c.version})")]


def _source_choices() -> list[tuple[str, Any]]:
    return [ANY] + [(str(s.pk), s.name) for s in Source.objects.order_by("name")]


def _any_category_choices() -> list[tuple[str, Any]]:
    return [ANY, *_category_choices()[1:]]


class CategoryForm(forms.Form):
    """事项分类."""

    code = _text(_("Code"), help_text=_("For example E0101."))
    name = _text(pgettext_lazy("setting", "Name"))
    name_en = _text(_("English name"), help_text=_("Shown on English pages; leave empty to show the name."))
    domain = _select(_("Domain"), [("", "—"), *Category.Domain.choices])
    parent = _select(_("Parent category"), _category_choices)
    version = _text(_("Catalogue version"))
    keywords = _text(_("Keywords"), help_text=_("Words that point to it, separated by spaces."))
    sort = _number(_("Order"))
    active = forms.BooleanField(label=_("Active: residents and staff may choose it"), required=False)


class TimeLimitForm(forms.Form):
    """办理时限."""

    name = _text(pgettext_lazy("setting", "Name"))
    source = _select(_("Source"), _source_choices)
    channel = _select(_("Channel"), [ANY, *Channel.choices])
    kind = _select(_("Kind"), [ANY, *Kind.choices])
    urgency = _select(_("Urgency"), [ANY, *Urgency.choices])
    category = _select(_("Category"), _any_category_choices)
    amount = _number(_("Time to close"))
    unit = _select(_("Unit"), TimeUnit.choices)
    sign_for_amount = _number(_("Time to sign for"))
    sign_for_unit = _select(_("Sign-for unit"), TimeUnit.choices)
    return_window_hours = _number(_("Return window after sign-for (hours)"))
    warn_before_hours = _number(_("Warn before expiry (hours)"))
    effective_from = _text(_("Effective from"), widget=DateInput)
    effective_to = _text(_("Effective to"), help_text=_("Leave empty while in force."), widget=DateInput)


class HolidayForm(forms.Form):
    """节假日."""

    date = _text(_("Date"), widget=DateInput)
    is_workday = forms.BooleanField(label=_("A make-up workday (调休上班), not a day off"), required=False)
    note = _text(_("Note"), help_text=_("For example 春节."))


def initial_of(instance: Any, form_class: type[forms.Form]) -> dict[str, Any]:
    """The form's initial values from a saved row (foreign keys by id, dates as ISO text)."""
    values: dict[str, Any] = {}
    for name in form_class.base_fields:
        if hasattr(instance, f"{name}_id"):
            values[name] = getattr(instance, f"{name}_id") or ""
        else:
            value: Any = getattr(instance, name, None)
            values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values
