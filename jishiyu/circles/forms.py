"""Forms of the circles app (幸福圈表单): catalogue categories, facilities, facility imports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jishiyu.circles.models import Category, Circle
from jishiyu.core.errors import ValidationFailed
from jishiyu.regions.models import Region
from jishiyu.regions.permissions import region_policy


def add_errors(form: forms.Form, exc: ValidationFailed) -> None:
    """Show a service's field errors on the form (unknown fields on the form as a whole)."""
    errors: Any = getattr(exc, "errors", None) or {}
    if not isinstance(errors, dict) or not errors:
        form.add_error(None, str(exc.message))
        return
    for field, messages in errors.items():
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            form.add_error(field if field in form.fields else None, str(message))


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    circle = forms.ModelChoiceField(label=_("life circle"), queryset=Circle.objects.all(), empty_label=None)
    osm_tags = forms.CharField(
        label=_("OpenStreetMap tags"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("one key=value per line, e.g. shop=convenience"),
    )
    active = forms.BooleanField(label=_("active"), required=False)


def _regions(actor: Any) -> list[tuple[int, str]]:
    kinds = (Region.Kind.COMMUNITY, Region.Kind.STREET, Region.Kind.DISTRICT)
    regions = region_policy.queryset(actor, "circles.change").filter(kind__in=kinds).order_by("path")
    return [(r.pk, r.name) for r in regions]


class FacilityForm(forms.Form):
    region = forms.TypedChoiceField(label=_("community"), coerce=int)
    category = forms.ChoiceField(label=_("category"))
    name = forms.CharField(label=_("name"), max_length=200)
    lon = forms.FloatField(label=_("longitude"), min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("latitude"), min_value=-90, max_value=90)
    active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args: Any, actor: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["active"]  # a new facility is active
        self.fields["region"].choices = _regions(actor)  # type: ignore[attr-defined]
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            (c.code, f"{c.circle.label} · {c.label}")
            for c in Category.objects.filter(active=True).select_related("circle")
        ]


class FacilityImportForm(forms.Form):
    region = forms.TypedChoiceField(label=_("community"), coerce=int)
    file = forms.FileField(label=_("file (.csv or .xlsx)"))

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _regions(actor)  # type: ignore[attr-defined]
