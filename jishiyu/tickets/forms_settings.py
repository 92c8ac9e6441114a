"""Forms of the district's ticket settings pages: they render the fields and coerce their types; every rule
is checked by ``jishiyu.tickets.configuration`` (shared with the API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jishiyu.tickets.models import Category, Channel, Kind, Source, TimeUnit, Urgency

ANY = ("", _("Any"))


class DateInput(forms.DateInput):
    input_type = "date"


def _category_choices() -> list[tuple[str, str]]:
    rows = Category.objects.order_by("domain", "version", "sort", "code")
    return [("", "—")] + [(str(c.pk), f"{c.code} {c.name} ({c.version})") for c in rows]


def _source_choices() -> list[tuple[str, Any]]:
    return [("", _("Any"))] + [(str(s.pk), s.name) for s in Source.objects.order_by("name")]


def _any_category_choices() -> list[tuple[str, Any]]:
    return [("", _("Any")), *_category_choices()[1:]]


class CategoryForm(forms.Form):
    """事项分类."""

    code = forms.CharField(label=_("Code"), max_length=20, required=False, help_text=_("For example E0101."))
    name = forms.CharField(label=_("Name"), max_length=60, required=False)
    domain = forms.ChoiceField(label=_("Domain"), choices=[("", "—"), *Category.Domain.choices], required=False)
    parent = forms.ChoiceField(label=_("Parent category"), choices=_category_choices, required=False)
    version = forms.CharField(label=_("Catalogue version"), max_length=16, required=False)
    keywords = forms.CharField(
        label=_("Keywords"), max_length=255, required=False, help_text=_("Words that point to it, separated by spaces.")
    )
    sort = forms.IntegerField(label=_("Order"), required=False, min_value=0)
    active = forms.BooleanField(label=_("Active: residents and staff may choose it"), required=False)


class TimeLimitForm(forms.Form):
    """办理时限."""

    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=_source_choices, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=[ANY, *Channel.choices], required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[ANY, *Kind.choices], required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=[ANY, *Urgency.choices], required=False)
    category = forms.ChoiceField(label=_("Category"), choices=_any_category_choices, required=False)
    amount = forms.IntegerField(label=_("Time to close"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), choices=TimeUnit.choices, required=False)
    sign_for_amount = forms.IntegerField(label=_("Time to sign for"), required=False)
    sign_for_unit = forms.ChoiceField(label=_("Sign-for unit"), choices=TimeUnit.choices, required=False)
    return_window_hours = forms.IntegerField(label=_("Return window after sign-for (hours)"), required=False)
    warn_before_hours = forms.IntegerField(label=_("Warn before expiry (hours)"), required=False)
    effective_from = forms.DateField(label=_("Effective from"), required=False, widget=DateInput)
    effective_to = forms.DateField(
        label=_("Effective to"), required=False, widget=DateInput, help_text=_("Leave empty while in force.")
    )


class HolidayForm(forms.Form):
    """节假日."""

    date = forms.DateField(label=_("Date"), required=False, widget=DateInput)
    is_workday = forms.BooleanField(label=_("A make-up workday (调休上班), not a day off"), required=False)
    note = forms.CharField(label=_("Note"), max_length=60, required=False, help_text=_("For example 春节."))


def initial_of(instance: Any, form_class: type[forms.Form]) -> dict[str, Any]:
    """The form's initial values from a saved row (foreign keys by id)."""
    values: dict[str, Any] = {}
    for name in form_class.base_fields:
        if hasattr(instance, f"{name}_id"):
            values[name] = getattr(instance, f"{name}_id") or ""
        else:
            values[name] = getattr(instance, name, None)
    return values
