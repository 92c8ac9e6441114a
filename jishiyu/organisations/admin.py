"""Back office for organisations, scoped like the pages and the API."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from jishiyu.core.admin import ScopedModelAdmin
from jishiyu.core.errors import ValidationFailed
from jishiyu.organisations.models import Membership, Organisation
from jishiyu.organisations.permissions import CHANGE, VIEW, membership_policy, organisation_policy
from jishiyu.organisations.services import credit_code_clean


class OrganisationAdminForm(forms.ModelForm[Organisation]):
    """The same credit-code rule as the service (one rule, one place)."""

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name",
            "region",
            "credit_code",
            "public_fundraising",
            "parent",
            "contact_name",
            "description",
            "active",
        ]

    def clean_credit_code(self) -> str:
        try:
            return credit_code_clean(self.cleaned_data.get("credit_code", ""))
        except ValidationFailed as exc:
            raise forms.ValidationError([str(m) for m in exc.errors["credit_code"]]) from None


@admin.register(Organisation)
class OrganisationAdmin(ScopedModelAdmin):
    form = OrganisationAdminForm
    policy = organisation_policy
    view_permission = VIEW
    change_permission = CHANGE
    list_display = ["name", "kind", "region", "credit_code", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["region"]
    raw_id_fields = ["region", "parent"]


@admin.register(Membership)
class MembershipAdmin(ScopedModelAdmin):
    policy = membership_policy
    view_permission = VIEW
    change_permission = CHANGE
    list_display = ["organisation", "user", "role", "since"]
    list_filter = ["role"]
    list_select_related = ["organisation", "user"]
    raw_id_fields = ["organisation", "user"]
