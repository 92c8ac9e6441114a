"""Browser journey of a roadshow (Playwright driving Debian's chromium): two donors claim on their
phones and the big screen shows both claims without a reload. Screenshots land in /tmp/shots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from jishiyu.charity.models import Claim, Roadshow
from jishiyu.conftest import DESK, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path("/tmp/shots")


def _signed_in_as_staff(page: Any, base_url: str, user: Any) -> None:
    """Staff sign-in may ask for a second factor: reuse a server-side session instead."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}])


def test_claims_from_two_phones_appear_on_the_big_screen(
    live_server: Any, new_page: Any, personas: dict[str, Any], world: Any, tree: Any
) -> None:
    show = Roadshow.objects.create(title="翠竹园公益路演", region=tree.community, starts_at=timezone.now())
    for need in (world.wish, world.share_need):
        need.roadshow = show
        need.save()
    screen = new_page(DESK)
    _signed_in_as_staff(screen, live_server.url, personas["community_worker"])
    screen.goto(f"{live_server.url}/charity/roadshows/{show.pk}/board/")
    assert screen.locator("#recent-claims").inner_text().strip() != ""

    donors = [personas["resident"], personas["outsider"]]
    phones = []
    for donor, need in zip(donors, (world.wish, world.share_need), strict=True):
        phone = new_page(PHONE)
        sign_in(phone, live_server.url, donor.phone, PASSWORD)
        phone.goto(f"{live_server.url}/charity/needs/{need.pk}/")
        phones.append(phone)
    for phone in phones:
        phone.locator("button.charity-claim").click()
        phone.wait_for_load_state()
    assert Claim.objects.count() == 2

    board = screen.locator("#recent-claims")
    for donor in donors:
        board.get_by_text(donor.name).wait_for(timeout=8_000)  # the board polls every 2 s
    assert screen.locator("#total-claims").inner_text() == "2"
    SHOTS.mkdir(exist_ok=True)
    screen.screenshot(path=str(SHOTS / "charity-board-desk.png"), full_page=True)
    phones[0].screenshot(path=str(SHOTS / "charity-need-phone.png"), full_page=True)
