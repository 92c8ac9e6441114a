"""Masking of personal data for display (个人信息保护法; common practice 3-4-4 for phones,
first 6 and last 4 for id numbers). Masked values are safe to show, log and store in audit records."""

from __future__ import annotations

import re
from datetime import date


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


def mask_birth_date(born: date | str | None) -> str:
    """1962-**-**: the year stays (an age band is what most work needs), month and day are hidden, as
    they are in a masked id number."""
    if not born:
        return ""
    text = born.isoformat() if isinstance(born, date) else str(born)
    return f"{text[:4]}-**-**"


def mask_name(name: str | None) -> str:
    """张* / 欧阳** : the family name stays."""
    if not name:
        return ""
    if len(name) == 1:
        return name
    if len(name) == 2:
        return f"{name[0]}*"
    return f"{name[0]}{'*' * (len(name) - 1)}"


# Scrubbing free text (logs, error reports, public Open311 descriptions, audit labels). People write numbers
# as they say them: "138 1234 5678", "138-1234-5678", "+86 138…", "0086…", in full-width digits (１３８…),
# and id numbers in groups ("320102 19900101 1234"). The patterns allow one separator between any two
# digits and full-width forms; a match is masked from its digits alone.
_D = r"[0-9\uff10-\uff19]"
_SEP = r"[ \u00a0\u3000\-\u2010-\u2015\uff0d.\u00b7]?"
_X = r"[0-9\uff10-\uff19Xx\uff38\uff58]"
_WIDE = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789" + "X" * 2)  # full-width digits and check letter
ID_PATTERN = re.compile(
    rf"(?<![0-9A-Za-z\uff10-\uff19])({_D}(?:{_SEP}{_D}){{16}}{_SEP}{_X})(?![0-9A-Za-z\uff10-\uff19])"
)
PHONE_PATTERN = re.compile(
    rf"(?<![0-9\uff10-\uff19])((?:(?:\+|\uff0b|00){_SEP}86{_SEP})?[1\uff11][3-9\uff13-\uff19](?:{_SEP}{_D}){{9}})(?![0-9\uff10-\uff19])"
)


def _digits(text: str) -> str:
    return re.sub(r"[^0-9X]", "", text.translate(_WIDE).upper())


def scrub(text: str) -> str:
    """Mask every id number and mobile number found in free text, however it is written."""
    text = ID_PATTERN.sub(lambda m: mask_id_number(_digits(m.group(1))), text)
    return PHONE_PATTERN.sub(lambda m: mask_phone(_digits(m.group(1))[-11:]), text)
