"""The donor's acknowledgement (捐赠感谢函): an A4 PDF for the donor and staff in scope, nobody else."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from jishiyu.charity import services
from jishiyu.charity.acknowledgement import yuan_in_words
from jishiyu.charity.models import Donation

API = "/api/v1/charity"


def pdf_text(pdf: bytes) -> str:
    """The text of every page, without the spaces and line breaks of the layout (the title is letter-spaced)."""
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.split())


@pytest.fixture
def confirmed(world: Any, personas: dict[str, Any]) -> Donation:
    donation, _ = services.donation_start(actor=personas["resident"], project=world.project, amount_fen=123_456)
    return services.donation_confirm(actor=personas["street_official"], donation=donation)


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (0, "零元整"),
        (5, "伍分"),
        (50, "伍角"),
        (100, "壹元整"),
        (105, "壹元零伍分"),
        (1_000, "壹拾元整"),
        (123_456, "壹仟贰佰叁拾肆元伍角陆分"),
        (100_050, "壹仟元伍角"),
        (1_000_100, "壹万零壹元整"),
        (101_000_000, "壹佰零壹万元整"),
        (10_000_000_000, "壹亿元整"),
        (10_010_000_000, "壹亿零壹拾万元整"),
    ],
)
def test_amounts_are_written_in_capital_numerals_as_on_a_receipt(fen: int, words: str) -> None:
    assert yuan_in_words(fen) == words


def test_the_donor_downloads_an_a4_pdf_with_the_amount_the_project_and_the_receipt_note(
    client: Any, world: Any, personas: dict[str, Any], confirmed: Donation
) -> None:
    client.force_login(personas["resident"])
    response = client.get(f"/charity/donations/{confirmed.pk}/acknowledgement.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert confirmed.acknowledgement_number in response["Content-Disposition"]
    pdf = response.content
    if os.environ.get("CHARITY_ACK_PDF"):  # keep a copy to look at (pdftoppm -png)
        Path(os.environ["CHARITY_ACK_PDF"]).write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(pdf)
    for expected in ("1,234.56", "翠竹园助老餐桌", "科菲平基金会", "壹仟贰佰叁拾肆元伍角陆分", "捐赠感谢函", "居民甲"):
        assert expected in text, expected
    assert confirmed.acknowledgement_number in text
    assert "捐赠票据" in text and "Acknowledgementofdonation" in text  # Chinese first, English beneath


def test_an_anonymous_gift_is_acknowledged_without_the_name_and_shows_the_receipt_number(
    client: Any, world: Any, personas: dict[str, Any]
) -> None:
    donation, _ = services.donation_start(
        actor=personas["resident"], project=world.project, amount_fen=10_000, anonymous=True
    )
    services.donation_confirm(actor=personas["street_official"], donation=donation, receipt_number="苏财0012345")
    client.force_login(personas["resident"])
    text = pdf_text(client.get(f"/charity/donations/{donation.pk}/acknowledgement.pdf").content)
    assert "匿名" in text and "居民甲" not in text
    assert "苏财0012345" in text and "100.00" in text


def test_the_api_gives_the_pdf_to_the_donor_and_staff_in_scope_and_404_to_anyone_else(
    client: Any, personas: dict[str, Any], confirmed: Donation
) -> None:
    url = f"{API}/donations/{confirmed.pk}/acknowledgement.pdf"
    for who in ("resident", "community_worker", "auditor"):
        client.force_login(personas[who])
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), who
    for who in ("outsider", "other_community_worker", "grid_worker"):
        client.force_login(personas[who])
        response = client.get(url)
        assert response.status_code == 404, who
        assert b"%PDF" not in response.content and "1,234.56" not in response.content.decode(errors="ignore")
    client.logout()
    assert client.get(url).status_code == 401
    assert client.get(f"{API}/donations/999999/acknowledgement.pdf").status_code == 401


def test_the_pages_give_the_pdf_to_the_donor_only_or_staff_in_scope(
    client: Any, personas: dict[str, Any], confirmed: Donation
) -> None:
    url = f"/charity/donations/{confirmed.pk}/acknowledgement.pdf"
    client.force_login(personas["other_community_worker"])
    assert client.get(url).status_code == 404
    assert client.get(f"/charity/donations/{confirmed.pk}/acknowledgement/").status_code == 404
    client.force_login(personas["community_worker"])
    assert client.get(url).status_code == 200
    assert (
        confirmed.acknowledgement_number
        in client.get(f"/charity/donations/{confirmed.pk}/acknowledgement/").content.decode()
    )
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_donation_awaiting_confirmation_has_no_acknowledgement_yet(
    client: Any, world: Any, personas: dict[str, Any]
) -> None:
    donation, _ = services.donation_start(actor=personas["resident"], project=world.project, amount_fen=5_000)
    client.force_login(personas["resident"])
    response = client.get(f"{API}/donations/{donation.pk}/acknowledgement.pdf")
    assert response.status_code == 400
    assert response.json()["code"] == "not_confirmed"
    page = client.get(f"/charity/donations/{donation.pk}/acknowledgement.pdf", follow=True)
    assert page.redirect_chain[-1][0].endswith("/charity/mine/")
    assert "确认" in page.content.decode()


def test_the_giving_page_links_each_confirmed_donation_to_its_pdf(
    client: Any, personas: dict[str, Any], confirmed: Donation
) -> None:
    client.force_login(personas["resident"])
    body = client.get("/charity/mine/").content.decode()
    assert f"/charity/donations/{confirmed.pk}/acknowledgement.pdf" in body
