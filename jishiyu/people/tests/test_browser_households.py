"""Browser journey of the household pages (Playwright driving Debian's chromium): a community worker at a
desk finds a household, adds a resident to it by mobile number; on a phone the same pages fit the screen
(wide tables scroll inside their own box). Screenshots land in /tmp/shots/ for a person to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD
from jishiyu.conftest import DESK, PHONE, sign_in
from jishiyu.people.models import HEAD_OF_HOUSEHOLD, Household, Person
from jishiyu.people.tests.factories import make_dwelling, make_person

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path("/tmp/shots")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # else the sticky header lands mid-page in a full-page shot
    page.screenshot(path=str(SHOTS / f"people-households-{name}.png"), full_page=True)


@pytest.fixture
def households(tree: Any) -> dict[str, Household]:
    """Two households of 翠竹园 (one with a head and a member, at a dwelling), one of 新林; one resident of
    翠竹园 who belongs to none."""
    home = Household.objects.create(
        region=tree.grid, number="320114-0001", dwelling=make_dwelling(tree.grid, tree.community, "502", "3")
    )
    make_person("王建国", tree.grid, seq=61, household=home, tags=("elderly_alone",))
    Person.objects.filter(name="王建国").update(relation_to_head=HEAD_OF_HOUSEHOLD)
    make_person("李秀英", tree.grid, seq=62, household=home)
    make_person("王小明", tree.grid2, seq=63, phone="13700000063")
    return {
        "home": home,
        "empty": Household.objects.create(region=tree.grid2, number="320114-0002"),
        "other": Household.objects.create(region=tree.other_grid, number="320114-0900"),
    }


def test_a_community_worker_adds_a_resident_to_a_household_at_a_desk_and_on_a_phone(
    live_server: Any, new_page: Any, personas: Any, households: dict[str, Household]
) -> None:
    base = live_server.url
    desk = new_page(DESK)
    sign_in(desk, base, personas["community_worker"].phone, PASSWORD)
    desk.goto(f"{base}/people/")
    desk.get_by_role("link", name="户信息").click()
    desk.wait_for_load_state()
    rows = desk.locator("#households-table tbody tr")
    assert rows.count() == 2 and "320114-0900" not in desk.content()
    first = rows.filter(has_text="320114-0001").inner_text()
    assert "王建国" in first and "2" in first and "502室" in first
    shot(desk, "list-desk")

    desk.get_by_role("link", name="320114-0001").click()
    desk.wait_for_load_state()
    desk.locator("#id_phone").fill("13700000063")
    desk.locator("#id_relation_to_head").fill("孙子")
    desk.get_by_role("button", name="加入本户").click()
    desk.wait_for_load_state()
    names = desk.locator("table.household-members tbody td:first-child").all_inner_texts()
    assert names == ["王建国", "李秀英", "王小明"]  # the head first
    assert "137****0063" in desk.locator("table.household-members tbody").inner_text()
    assert desk.url.endswith("#members")
    assert "已将 王小明 加入本户" in desk.locator(".messages").inner_text()
    shot(desk, "detail-desk")

    phone = new_page(PHONE)
    sign_in(phone, base, personas["community_worker"].phone, PASSWORD)
    for path, name in (
        ("/people/", "people-list-phone"),
        ("/people/households/", "list-phone"),
        (f"/people/households/{households['home'].pk}/", "detail-phone"),
    ):
        phone.goto(f"{base}{path}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        shot(phone, name)
    # A refused add on the phone: the error stands beside the number that was typed.
    phone.locator("#id_phone").fill("13799999999")
    phone.get_by_role("button", name="加入本户").click()
    phone.wait_for_load_state()
    assert "您辖区内没有使用此号码的居民" in phone.locator("#id_phone-error").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "add-error-phone")
