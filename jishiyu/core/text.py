"""Checks of short texts people type: names of residents, staff and organisations.

A name holds no control character (C0, DEL, C1, and the invisible direction and zero-width marks that make a
name read differently from what is stored): the probe stored names with NUL, BEL and escape sequences, which
then broke exports, logs and the terminals of those reading them."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

CONTROL_IN_NAME = _("The name holds an invisible or control character: type it again without it.")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def has_control_characters(value: str) -> bool:
    """True when ``value`` holds a character of Unicode category Cc (control) or an invisible format mark."""
    return any(unicodedata.category(c) == "Cc" for c in value) or bool(_INVISIBLE.search(value))


def name_error(value: str) -> str | None:
    """The message for a name that may not be stored, or None when it may."""
    return str(CONTROL_IN_NAME) if has_control_characters(value) else None
