"""Forms of the regions pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

PLACEHOLDER = _("e.g. 雨花台区板桥街道新林社区新林苑3栋2单元501")


class AddressLookupForm(forms.Form):
    address = forms.CharField(
        label=_("Address"),
        max_length=500,
        strip=True,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. 雨花台区板桥街道新林社区新林苑3栋2单元501"), "autofocus": True}
        ),
        error_messages={"required": _("Enter an address.")},
    )
