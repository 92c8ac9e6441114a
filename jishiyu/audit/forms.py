"""The auditor's search form (审计查询)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jishiyu.audit.models import AuditEntry
from jishiyu.audit.selectors import AuditFilters


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=80, help_text=_("User id or name"))
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("Any")), *AuditEntry.Action.choices])
    object_type = forms.CharField(
        label=_("Record type"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"list": "record-types", "placeholder": "people.person"}),
    )
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=40)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason contains"), required=False, max_length=100)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> AuditFilters:
        """Valid filters, or none at all when the form has errors."""
        if not self.is_valid():
            return AuditFilters()
        d = self.cleaned_data
        return AuditFilters(
            actor=d.get("actor") or "",
            action=d.get("action") or "",
            object_type=d.get("object_type") or "",
            object_id=d.get("object_id") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            reason=d.get("reason") or "",
        )
