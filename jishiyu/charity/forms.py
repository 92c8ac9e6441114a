"""Forms of the charity pages (公益行): parsing only; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DonationForm(forms.Form):
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=16)
    anonymous = forms.BooleanField(label=_("Give anonymously"), required=False)


class ClaimForm(forms.Form):
    shares = forms.IntegerField(label=_("Shares"), min_value=1, initial=1)


class CardForm(forms.Form):
    donor_name = forms.CharField(label=_("Donor"), max_length=80)
    shares = forms.IntegerField(label=_("Shares"), min_value=1, initial=1)


class FulfilForm(forms.Form):
    photo = forms.FileField(label=_("Photo of the delivery"))


class ConfirmForm(forms.Form):
    receipt_number = forms.CharField(label=_("Donation receipt number"), max_length=40, required=False)
