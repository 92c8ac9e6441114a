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


def test_a_resident_finds_what_is_near_them_from_the_portal_on_a_phone(live_server, new_page, personas, city):  # noqa: F811
    page = new_page(PHONE)
    sign_in(page, live_server.url, personas["resident"].phone, PASSWORD)
    page.goto(f"{live_server.url}/")
    page.locator('[data-module="circles"]').click()
    page.get_by_role("link", name="身边设施").click()
    page.wait_for_url("**/circles/me/")
    assert page.locator(".circles-card").count() == 3
    assert page.locator(".bottombar").is_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "circles-near-me-phone.png"), full_page=True)


@pytest.mark.parametrize("size", [DESK, PHONE], ids=["desk", "phone"])
def test_staff_reach_the_coverage_map_from_the_staff_navigation(live_server, new_page, personas, city, size):  # noqa: F811
    page = new_page(size)
    sign_in(page, live_server.url, personas["community_worker"].phone, PASSWORD)
    page.goto(f"{live_server.url}/work/")
    if size == PHONE:
        # On a phone the tabs give way to one menu, and every entry in it fits the screen's width.
        assert not page.locator(".staffnav-tabs").is_visible()
        page.locator(".staffnav-menu summary").click()
        links = page.locator(".staffnav-menu a")
        assert links.count() >= 5
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    link = page.locator('.staffnav [data-nav="circles"]:visible')
    assert link.inner_text() == "幸福圈"
    link.click()
    page.wait_for_selector("#circles-shares")
    assert page.locator('.staffnav-tabs [data-nav="circles"]').get_attribute("aria-current") == "page"
    if size == PHONE:
        assert "幸福圈" in page.locator(".staffnav-menu summary").inner_text()
    SHOTS.mkdir(exist_ok=True)
    name = "desk" if size == DESK else "phone"
    page.screenshot(path=str(SHOTS / f"circles-staffnav-{name}.png"), full_page=False)
