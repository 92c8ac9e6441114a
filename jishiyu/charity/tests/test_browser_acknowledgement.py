"""Browser journey of a donor (Playwright driving Debian's chromium): on the giving page, on a phone and
at a desk, a confirmed donation offers its acknowledgement PDF, and tapping it downloads the PDF.
Screenshots land in /tmp/shots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD
from jishiyu.charity import services
from jishiyu.conftest import DESK, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path("/tmp/shots")


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "phone"), (DESK, "desk")])
def test_a_donor_downloads_the_acknowledgement_from_the_giving_page(
    live_server: Any, new_page: Any, personas: dict[str, Any], world: Any, viewport: dict[str, int], name: str
) -> None:
    donor = personas["resident"]
    done, _ = services.donation_start(actor=donor, project=world.project, amount_fen=20_000)
    services.donation_confirm(actor=personas["street_official"], donation=done, receipt_number="苏财2025-000318")
    services.donation_start(actor=donor, project=world.project, amount_fen=8_880, anonymous=True)  # awaiting payment
    page = new_page(viewport)
    sign_in(page, live_server.url, donor.phone, PASSWORD)
    page.goto(f"{live_server.url}/charity/mine/")
    link = page.locator(f"a[href='/charity/donations/{done.pk}/acknowledgement.pdf']")
    assert link.is_visible()
    box = link.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= viewport["width"]
    assert page.locator("main").inner_text().count("确认到账后") == 1  # the pending one says when it comes
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"charity-giving-{name}.png"), full_page=True)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"acknowledgement-{done.acknowledgement_number}.pdf"
    path = download.path()
    assert path is not None and Path(path).read_bytes().startswith(b"%PDF")
