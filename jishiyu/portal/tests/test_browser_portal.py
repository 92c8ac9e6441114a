"""Browser journeys (Playwright driving Debian's chromium): the resident portal on a phone, and the
staff pages on a desk; screenshots of each page land in /tmp/shots/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PASSWORD
from jishiyu.conftest import DESK, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path("/tmp/shots")
MODULE_TITLES = ["社区通", "小区里", "公益行", "幸福圈"]


def _font_px(page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))


def test_a_resident_on_a_phone_signs_in_and_sees_the_four_modules(live_server, new_page, personas):
    page = new_page(PHONE)
    sign_in(page, live_server.url, personas["resident"].phone, PASSWORD)
    assert page.url.rstrip("/") == live_server.url
    titles = page.locator(".module-title").all_inner_texts()
    assert titles == MODULE_TITLES
    for link in page.locator(".module, .bottombar a").all():
        box = link.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44


def test_a_resident_switches_to_english_and_back(live_server, new_page, personas):
    page = new_page(PHONE)
    sign_in(page, live_server.url, personas["resident"].phone, PASSWORD)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".module-title").first.inner_text() == "Community Link"
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator(".module-title").first.inner_text() == "社区通"


def test_a_resident_turns_on_elder_mode_and_the_text_grows(live_server, new_page, personas):
    page = new_page(PHONE)
    sign_in(page, live_server.url, personas["resident"].phone, PASSWORD)
    before = _font_px(page)
    page.goto(f"{live_server.url}/me/")
    page.check("#id_elder_mode")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert "elder" in (page.locator("html").get_attribute("class") or "")
    after = _font_px(page)
    assert before >= 16
    assert after >= 18 and after > before
    personas["resident"].refresh_from_db()
    assert personas["resident"].elder_mode is True


def test_a_visitor_turns_on_large_text_from_the_top_bar(live_server, new_page, tree):
    page = new_page(PHONE)
    page.goto(live_server.url + "/")
    before = _font_px(page)
    page.locator("[data-elder-toggle]").click()
    page.wait_for_load_state()
    assert _font_px(page) > before
    # one column of module cards
    boxes = [card.bounding_box() for card in page.locator(".module").all()]
    assert len({round(b["x"]) for b in boxes if b}) == 1


def test_a_street_official_drills_down_the_dashboard_chart(live_server, new_page, personas, population, tree):
    page = new_page(DESK)
    sign_in(page, live_server.url, personas["street_official"].phone, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#figures-chart svg")
    assert page.locator("table.data tbody th").all_inner_texts() == ["翠竹园社区", "凤台社区"]
    page.locator("table.data tbody th a", has_text="翠竹园社区").click()
    page.wait_for_selector("#figures-chart svg")
    assert page.locator("h1").inner_text() == "翠竹园社区数据概览"


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desk", DESK)])
def test_screenshots_of_each_page(live_server, new_page, personas, population, size, viewport):
    page = new_page(viewport)
    sign_in(page, live_server.url, personas["resident"].phone, PASSWORD)
    _shoot(page, f"home-{size}")
    page.goto(f"{live_server.url}/me/")
    _shoot(page, f"me-{size}")
    page.goto(f"{live_server.url}/m/community/")
    _shoot(page, f"module-{size}")
    staff = new_page(viewport)
    sign_in(staff, live_server.url, personas["street_official"].phone, PASSWORD)
    staff.goto(f"{live_server.url}/work/")
    # one card per to-do the modules declare for this role (jishiyu/workbench/tests/test_todos.py holds them)
    from jishiyu.core.shells import todos_for

    assert staff.locator(".waiting-card").count() == len(todos_for(personas["street_official"]))
    _shoot(staff, f"workbench-{size}")
    staff.goto(f"{live_server.url}/dashboard/")
    staff.wait_for_selector("#figures-chart svg")
    staff.wait_for_timeout(600)  # let the bar animation finish before the picture
    _shoot(staff, f"dashboard-{size}")
    page.goto(f"{live_server.url}/")
    page.locator("[data-elder-toggle]").click()
    page.wait_for_load_state()
    _shoot(page, f"home-elder-{size}")
