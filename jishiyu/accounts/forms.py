"""Forms of the account pages. They only parse; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jishiyu.accounts.models import User
from jishiyu.accounts.permissions import MANAGE
from jishiyu.accounts.roles import Role
from jishiyu.accounts.services import grantable_roles
from jishiyu.core.errors import DomainError
from jishiyu.core.scope import subtree_q
from jishiyu.regions.models import Region

PASSWORDS_DIFFER = _("The two passwords differ.")

_tel = {"inputmode": "tel", "autocomplete": "tel"}
_code = {"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6"}


def apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal beside the field it names (or above the form)."""
    if not exc.errors:
        form.add_error(None, str(exc.message))
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, str(message))


class LoginForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=32, widget=forms.TextInput(attrs=_tel))
    password = forms.CharField(
        label=_("Password"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = forms.CharField(label=_("SMS code"), max_length=12, widget=forms.TextInput(attrs=_code))


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=32, widget=forms.TextInput(attrs=_tel))


class _NewPasswordMixin(forms.Form):
    password_field = "password"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get(self.password_field), data.get(f"{self.password_field}2")
        if first and second and first != second:
            self.add_error(f"{self.password_field}2", PASSWORDS_DIFFER)
        return data


def _new_password(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class SignupForm(_NewPasswordMixin):
    code = forms.CharField(label=_("SMS code"), max_length=12, widget=forms.TextInput(attrs=_code))
    name = forms.CharField(label=_("Name"), max_length=50)
    password = _new_password(_("Password"))
    password2 = _new_password(_("Password again"))


class ResetForm(_NewPasswordMixin):
    code = forms.CharField(label=_("SMS code"), max_length=12, widget=forms.TextInput(attrs=_code))
    password = _new_password(_("New password"))
    password2 = _new_password(_("New password again"))


class PasswordChangeForm(_NewPasswordMixin):
    password_field = "new_password"
    old_password = forms.CharField(
        label=_("Current password"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = _new_password(_("New password"))
    new_password2 = _new_password(_("New password again"))


def _scope_regions(actor: User) -> list[tuple[Any, str]]:
    kinds = [Region.Kind.DISTRICT, Region.Kind.STREET, Region.Kind.PARK, Region.Kind.COMMUNITY, Region.Kind.GRID]
    qs = Region.objects.filter(subtree_q("path", actor.region_paths_for(MANAGE)), kind__in=kinds).order_by("path")
    return [(r.pk, f"{'— ' * r.depth}{r.name}") for r in qs.only("pk", "name", "depth", "path")]


def _role_choices(actor: User) -> list[tuple[str, str]]:
    labels = dict(Role.choices)
    return [(r, str(labels[r])) for r in grantable_roles(actor)]


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    region = forms.TypedChoiceField(label=_("Scope"), coerce=int)

    def __init__(self, *args: Any, actor: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(actor)  # type: ignore[attr-defined]
        self.fields["region"].choices = _scope_regions(actor)  # type: ignore[attr-defined]


class StaffCreateForm(RoleGrantForm):
    phone = forms.CharField(label=_("Mobile number"), max_length=32, widget=forms.TextInput(attrs=_tel))
    name = forms.CharField(label=_("Name"), max_length=50)
    field_order = ["phone", "name", "role", "region"]
