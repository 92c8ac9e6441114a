"""Password rules (等保2.0 level 3: at least 8 characters from 3 of the 4 classes)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PASSWORD_CLASSES_MESSAGE = "password_too_simple"


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        classes = sum(bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]"))
        if classes < self.min_classes:
            raise ValidationError(self.get_help_text(), code=PASSWORD_CLASSES_MESSAGE)

    def get_help_text(self) -> str:
        return (
            ngettext(
                "Your password must mix at least %(n)d kind of character: lower-case, upper-case, digits, symbols.",
                "Your password must mix at least %(n)d kinds of character: lower-case, upper-case, digits, symbols.",
                self.min_classes,
            )
            % {"n": self.min_classes}
            if self.min_classes
            else _("Any password.")
        )
