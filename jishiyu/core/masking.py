"""Masking of personal data for display (个人信息保护法; common practice 3-4-4 for phones,
first 6 and last 4 for id numbers). Masked values are safe to show, log and store in audit records."""

from __future__ import annotations

import re


def mask_phone(phone: str | None) -> str:
    """138****5678."""
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return f"{digits[:2]}{'*' * (len(digits) - 4)}{digits[-2:]}"


def mask_id_number(number: str | None) -> str:
    """3201**********1234 for an 18-character mainland id; other documents keep 2 + 2."""
    if not number:
        return ""
    number = number.strip().upper()
    if len(number) == 18:
        return f"{number[:4]}{'*' * 10}{number[-4:]}"
    if len(number) <= 4:
        return "*" * len(number)
    return f"{number[:2]}{'*' * (len(number) - 4)}{number[-2:]}"


def mask_name(name: str | None) -> str:
    """张* / 欧阳** : the family name stays."""
    if not name:
        return ""
    if len(name) == 1:
        return name
    if len(name) == 2:
        return f"{name[0]}*"
    return f"{name[0]}{'*' * (len(name) - 1)}"


# Patterns for scrubbing free text (logs, error reports): an 18-char id (last may be X) and an
# 11-digit mainland mobile starting with 1.
ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
PHONE_PATTERN = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")


def scrub(text: str) -> str:
    """Mask every id number and mobile number found in free text."""
    text = ID_PATTERN.sub(lambda m: mask_id_number(m.group(1)), text)
    return PHONE_PATTERN.sub(lambda m: mask_phone(m.group(1)), text)
