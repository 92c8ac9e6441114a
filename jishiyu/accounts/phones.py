"""Mainland mobile numbers (手机号): parsed and checked with ``phonenumbers``."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext_lazy as _

from jishiyu.core.errors import DomainError

INVALID_PHONE = _("Enter a valid mainland China mobile number, e.g. 13812345678.")
INVALID_PHONE_CODE = "invalid_phone"


def normalise_phone(raw: str | None, *, field: str = "phone") -> str:
    """The 11-digit national form of a CN mobile number, or a DomainError naming ``field``."""
    text = (raw or "").strip().replace(" ", "").replace("-", "")
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise DomainError(INVALID_PHONE, field=field, code=INVALID_PHONE_CODE) from None
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in (phonenumbers.PhoneNumberType.MOBILE,)
    ):
        raise DomainError(INVALID_PHONE, field=field, code=INVALID_PHONE_CODE)
    return str(number.national_number)
