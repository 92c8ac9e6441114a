"""Forms of the tickets app: intake (resident, grid worker), the handling steps and the rating."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import DomainError
from jishiyu.tickets.models import Category, FollowUp, Kind, TicketPhoto, Urgency
from jishiyu.tickets.services import EXTENSION_DAYS

RESIDENT_KINDS = [
    (Kind.ENQUIRY, _("Enquiry")),
    (Kind.HELP, _("Request for help")),
    (Kind.COMPLAINT, _("Complaint")),
    (Kind.REPORT, _("Report of wrongdoing")),
    (Kind.SUGGESTION, _("Suggestion")),
    (Kind.PRAISE, _("Praise")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos; size and type are checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


CategoryGroup = tuple[str, list[tuple[str, str]]]


def grouped_categories(rows: Iterable[Category], label: Callable[[Category], str] | None = None) -> list[CategoryGroup]:
    """Categories as <optgroup>s (大类 → 小类): each top-level category heads its group and is its first option,
    its descendants follow; labels in the user's language. A category whose top-level one is not among the rows
    (inactive) is left out, as its group is."""
    label = label or (lambda c: c.display_name)
    rows = list(rows)
    parent_of = {c.pk: c.parent_id for c in rows}
    groups: dict[int, CategoryGroup] = {c.pk: (label(c), [(str(c.pk), label(c))]) for c in rows if c.parent_id is None}
    for category in rows:
        if category.pk in groups:
            continue  # the top-level category opens its own group
        top, hops = category.pk, 0
        while (up := parent_of.get(top)) is not None and hops < len(rows):  # cycle-safe
            top, hops = up, hops + 1
        if top in groups:
            groups[top][1].append((str(category.pk), label(category)))
    return list(groups.values())


def category_choices() -> list[Any]:
    """The active categories, grouped by top-level category (called at each render: labels follow the language)."""
    return [("", "—"), *grouped_categories(Category.objects.filter(active=True).order_by("domain", "sort", "code"))]


class CategoryField(forms.ChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Category"))
        super().__init__(*args, choices=category_choices, **kwargs)


class TicketCreateForm(forms.Form):
    """居民提交诉求."""

    kind = forms.ChoiceField(
        label=_("Kind of request"), choices=RESIDENT_KINDS, widget=forms.RadioSelect, initial=Kind.HELP
    )
    category = CategoryField(required=False)
    content = forms.CharField(label=_("What is the matter?"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    address = forms.CharField(label=_("Where (address)"), max_length=255, required=False)
    lon = forms.FloatField(widget=forms.HiddenInput, required=False)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False)
    photos = MultiplePhotoField(label=_("Photos"))
    anonymous = forms.BooleanField(label=_("Anonymous: do not show my name and phone to anyone"), required=False)
    confidential = forms.BooleanField(label=_("Confidential: keep the matter out of public lists"), required=False)


class FieldReportForm(forms.Form):
    """网格员现场上报."""

    category = CategoryField(required=True)
    content = forms.CharField(label=_("What did you find?"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    address = forms.CharField(label=_("Where (address)"), max_length=255, required=False)
    lon = forms.FloatField(widget=forms.HiddenInput, required=False)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    photos = MultiplePhotoField(label=_("Photos"))


class RateForm(forms.Form):
    """评价."""

    solved = forms.ChoiceField(label=_("Was it solved?"), choices=FollowUp.Solved.choices, widget=forms.RadioSelect)
    satisfied = forms.ChoiceField(
        label=_("Are you satisfied?"), choices=FollowUp.Satisfied.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Anything to add?"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ActionForm(forms.Form):
    """One step on the ticket page: the action and whatever it needs."""

    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    handler = forms.CharField(label=_("Handler"), required=False)
    # The bounds are the service's (services.EXTENSION_DAYS, with its message); here only the phone's keypad hint.
    days = forms.IntegerField(
        label=_("More working days"),
        required=False,
        widget=forms.NumberInput(attrs={"min": EXTENSION_DAYS[0], "max": EXTENSION_DAYS[1]}),
    )
    approve = forms.BooleanField(required=False)
    solved = forms.ChoiceField(label=_("Was it solved?"), choices=[("", "—"), *FollowUp.Solved.choices], required=False)
    satisfied = forms.ChoiceField(
        label=_("Are you satisfied?"), choices=[("", "—"), *FollowUp.Satisfied.choices], required=False
    )
    into = forms.IntegerField(label=_("Duplicate of ticket #"), required=False)
    photos = MultiplePhotoField(label=_("Photos"))


class PhotoAddForm(forms.Form):
    """补充照片."""

    photos = MultiplePhotoField(label=_("Photos"))
    stage = forms.ChoiceField(
        label=_("Add to"), choices=TicketPhoto.Stage.choices, initial=TicketPhoto.Stage.REPORT, required=False
    )

    def clean_stage(self) -> str:
        return str(self.cleaned_data.get("stage") or TicketPhoto.Stage.REPORT)


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's error beside its field (or on top of the form)."""
    errors = error.errors
    if not errors:
        form.add_error(None, str(error.message))
        return
    for field, messages in errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, str(message))
