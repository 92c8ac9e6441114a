"""Forms of the resident portal."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    """个人偏好: elder-friendly display and language."""

    elder_mode = forms.BooleanField(
        label=_("Elder-friendly display"),
        required=False,
        help_text=_("Larger text, stronger contrast, one column."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
