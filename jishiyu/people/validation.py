"""Validation of identity documents and phone numbers, and the stored forms of sensitive values.

Mainland id numbers (GB 11643) are checked with python-stdnum (area, birth date, ISO 7064 MOD 11-2
check digit); residence permits for Hong Kong/Macao (810000/820000) and Taiwan (830000) residents use
the same 18-character structure; passports are 5–17 letters and digits. Phones with phonenumbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric

from jishiyu.core.crypto import encrypt_text, keyed_hash
from jishiyu.core.errors import DomainError
from jishiyu.core.masking import mask_id_number, mask_phone

INVALID_ID_CHECKSUM = _("The id number's check digit is wrong: please check every digit.")
INVALID_ID_FORMAT = _("An id number has 18 characters: 17 digits and a digit or X.")
INVALID_ID_DATE = _("The birth date inside the id number is not a real date.")
INVALID_ID_AREA = _("The first six digits of the id number are not a known area code.")
INVALID_PERMIT_PREFIX = _("This residence permit number must start with %(prefixes)s.")
INVALID_PASSPORT = _("A passport number has 5 to 17 letters and digits.")
INVALID_PHONE = _("Enter a mainland mobile number of 11 digits, such as 13812345678.")

PERMIT_PREFIXES = {"hk_macau_permit": ("810000", "820000"), "taiwan_permit": ("830000",)}


@dataclass(frozen=True)
class Sensitive:
    """A sensitive value in its three stored forms."""

    enc: str
    hash: str
    masked: str


def normalise_document(document_type: str, number: str, *, field: str = "document_number") -> str:
    """Validate and normalise a document number; raise DomainError naming ``field``."""
    number = re.sub(r"\s", "", number or "").upper()
    if document_type == "passport":
        if not re.fullmatch(r"[A-Z0-9]{5,17}", number):
            raise DomainError(INVALID_PASSPORT, field=field, code="invalid_passport")
        return number
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise DomainError(INVALID_ID_FORMAT, field=field, code="invalid_id_format")
    prefixes = PERMIT_PREFIXES.get(document_type)
    if prefixes and not number.startswith(prefixes):
        raise DomainError(
            _("This residence permit number must start with %(prefixes)s.") % {"prefixes": " / ".join(prefixes)},
            field=field,
            code="invalid_permit_prefix",
        )
    # The library's checks, one by one: python-stdnum's ric.validate also rejects an area code that
    # did not exist in the birth year, but people born before a district was created carry its code.
    try:
        born = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        raise DomainError(INVALID_ID_DATE, field=field, code="invalid_id_date")
    if born > date.today():
        raise DomainError(INVALID_ID_DATE, field=field, code="invalid_id_date")
    if ric.calc_check_digit(number) != number[-1]:
        raise DomainError(INVALID_ID_CHECKSUM, field=field, code="invalid_id_checksum")
    if not prefixes and not _known_area(number[:6]):
        raise DomainError(INVALID_ID_AREA, field=field, code="invalid_id_area")
    return number


def _known_area(code: str) -> bool:
    return any(props for _part, props in numdb.get("cn/loc").info(code))


def birth_date_and_gender(number: str) -> tuple[date | None, str]:
    """From an 18-character id: the birth date and gender (odd sequence digit = male)."""
    if len(number) != 18:
        return None, ""
    try:
        born = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        return None, ""
    return born, ("m" if int(number[16]) % 2 else "f")


def normalise_phone(phone: str, *, field: str = "phone") -> str:
    """A mainland mobile number as 11 digits."""
    raw = re.sub(r"[\s-]", "", phone or "")
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise DomainError(INVALID_PHONE, field=field, code="invalid_phone")
    national = str(parsed.national_number)
    if (
        parsed.country_code != 86
        or len(national) != 11
        or phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise DomainError(INVALID_PHONE, field=field, code="invalid_phone")
    return national


def protect_document(number: str) -> Sensitive:
    return (
        Sensitive(encrypt_text(number), keyed_hash(number), mask_id_number(number)) if number else Sensitive("", "", "")
    )


def protect_phone(phone: str) -> Sensitive:
    return Sensitive(encrypt_text(phone), keyed_hash(phone), mask_phone(phone)) if phone else Sensitive("", "", "")
