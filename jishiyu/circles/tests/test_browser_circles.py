"""Browser: the coverage map shows buildings coloured by circle and a suggested site (screenshots in /tmp/shots/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PASSWORD
from jishiyu.circles.tests.test_web import city  # noqa: F401  (fixture)
from jishiyu.conftest import DESK, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")


def test_the_map_shows_coverage_by_circle_and_a_suggested_site(live_server, new_page, personas, city):  # noqa: F811
    page = new_page(DESK)
    sign_in(page, live_server.url, personas["district_admin"].phone, PASSWORD)
    page.goto(f"{live_server.url}/circles/?circle=commerce5&category=convenience_shop")
    page.wait_for_selector(".circles-building")
    assert page.locator(".circles-building").count() == 2
    assert page.locator(".circles-site").count() >= 1
    assert "翠竹园社区" in page.locator("#circles-shares").inner_text()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "circles-map-desk.png"), full_page=True)
    page.get_by_role("link", name="15分钟健康圈").click()
    page.wait_for_selector(".circles-building")
    assert "aria-current" in (page.locator(".circles-tabs a", has_text="15分钟健康圈").evaluate("e => e.outerHTML"))


def test_a_resident_sees_what_is_near_them_on_a_phone(live_server, new_page, personas, city):  # noqa: F811
    page = new_page(PHONE)
    sign_in(page, live_server.url, personas["resident"].phone, PASSWORD)
    page.goto(f"{live_server.url}/circles/me/")
    assert page.locator(".circles-card").count() == 3
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "circles-near-me-phone.png"), full_page=True)
