"""The donor's acknowledgement (捐赠感谢函) as an A4 PDF, Chinese first with English beneath.

It is not the official donation receipt (公益事业捐赠票据): the receiving organisation issues that,
and its number is printed here once staff have recorded it. Rendered with WeasyPrint (Debian's Pango
and a CJK font such as fonts-wqy-microhei must be installed); the page loads nothing from outside."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jishiyu.charity import selectors
from jishiyu.charity.models import Donation
from jishiyu.core.errors import DomainError

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ((1000, "仟"), (100, "佰"), (10, "拾"), (1, ""))
GROUPS = ("", "万", "亿", "万亿")


def _group_in_words(number: int) -> str:
    """1..9999 in capital numerals, one 零 for a run of zeros inside: 1005 → 壹仟零伍."""
    words, zero = "", False
    for place, unit in PLACES:
        digit = number // place % 10
        if digit == 0:
            zero = zero or bool(words)
            continue
        if zero:
            words, zero = words + "零", False
        words += DIGITS[digit] + unit
    return words


def yuan_in_words(fen: int) -> str:
    """人民币大写: an amount in fen written in capital numerals as on a receipt (支付结算办法):
    123456 → 壹仟贰佰叁拾肆元伍角陆分; 100 → 壹元整; 105 → 壹元零伍分."""
    if fen < 0:
        raise ValueError("an acknowledged amount is never negative")
    yuan, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    groups: list[int] = []
    while yuan:
        yuan, group = divmod(yuan, 10_000)
        groups.append(group)
    words, gap = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            gap = gap or bool(words)
            continue
        if words and (gap or group < 1000):
            words += "零"
        words += _group_in_words(group) + GROUPS[index]
        gap = False
    if words:
        words += "元"
    if jiao == 0 and cents == 0:
        return (words or "零元") + "整"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif words:
        words += "零"
    if cents:
        words += DIGITS[cents] + "分"
    return words


def yuan_with_cents(fen: int) -> str:
    """12345 → "123.45"; 100000 → "1,000.00" (an acknowledgement always shows the cents)."""
    whole, cents = divmod(fen, 100)
    return f"{whole:,}.{cents:02d}"


def acknowledgement_context(donation: Donation) -> dict[str, Any]:
    confirmed = timezone.localtime(donation.confirmed_at or donation.created_at)
    return {
        "donation": donation,
        "donor_name": "" if donation.anonymous else (donation.donor.name or ""),
        "amount": yuan_with_cents(donation.amount_fen),
        "amount_words": yuan_in_words(donation.amount_fen),
        "date": confirmed.date(),
        "number": donation.acknowledgement_number,
    }


def acknowledgement_pdf(donation: Donation) -> bytes:
    """捐赠感谢函 (PDF bytes) of a confirmed donation."""
    from weasyprint import HTML  # imported on use: it loads Pango
    from weasyprint.urls import URLFetcher

    html = render_to_string("charity/acknowledgement_pdf.html", acknowledgement_context(donation))
    fetcher = URLFetcher(allowed_protocols=("data",))  # nothing from disk or the network
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())


NOT_CONFIRMED = _("The acknowledgement is ready once the receiving organisation has confirmed the donation.")


def acknowledgement_for(*, actor: Any, donation_id: int) -> tuple[Donation, bytes]:
    """The acknowledgement of a donation the actor may see (their own, or staff in scope; anyone else:
    NotFound); refused with a clear message while the donation awaits confirmation."""
    donation = selectors.donation_get_for_acknowledgement(actor=actor, donation_id=donation_id)
    if donation.status != Donation.Status.CONFIRMED:
        raise DomainError(NOT_CONFIRMED, code="not_confirmed")
    return donation, acknowledgement_pdf(donation)


def pdf_response(donation: Donation, pdf: bytes) -> HttpResponse:
    """The PDF as a download named after its acknowledgement number."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="acknowledgement-{donation.acknowledgement_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
