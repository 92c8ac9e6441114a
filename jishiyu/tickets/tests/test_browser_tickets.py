"""Browser journey (Playwright driving Debian's chromium): a resident files a request on a phone, the
street dispatcher dispatches it, the community worker signs for it and replies, the resident rates it.
Screenshots land in /tmp/shots/ for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD
from jishiyu.conftest import DESK, PHONE, sign_in
from jishiyu.tickets.models import Category, FollowUp, Status, Ticket
from jishiyu.tickets.tests.conftest import ensure_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path("/tmp/shots")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"tickets-{name}.png"), full_page=True)


def test_a_request_goes_from_the_resident_to_the_community_and_back_with_a_rating(
    live_server: Any, new_page: Any, personas: Any, tree: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    base = live_server.url
    ensure_catalogue()
    lamp = Category.objects.get(code="C0105")

    # The resident files the request on a phone.
    phone = new_page(PHONE)
    sign_in(phone, base, personas["resident"].phone, PASSWORD)
    phone.goto(f"{base}/tickets/new/")
    assert float(phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")) >= 16
    phone.get_by_label("求助").check()
    phone.select_option("#id_category", str(lamp.pk))
    phone.fill("#id_content", "3栋楼道灯坏了，晚上很黑")
    phone.fill("#id_address", "翠竹园3栋")
    shot(phone, "resident-new")
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_load_state()
    match = re.search(r"/tickets/mine/(\d+)/", phone.url)
    assert match, phone.url
    ticket = Ticket.objects.get(pk=int(match.group(1)))
    assert ticket.status == Status.ACCEPTED
    shot(phone, "resident-received")

    # The street dispatcher sends it to the community from the queue (bulk dispatch).
    desk = new_page(DESK)
    sign_in(desk, base, personas["street_dispatcher"].phone, PASSWORD)
    desk.goto(f"{base}/tickets/?queue=to_dispatch")
    desk.check(f"input[name=ids][value='{ticket.pk}']")
    desk.select_option("select[name=handler]", f"r:{tree.community.pk}")
    shot(desk, "dispatcher-queue")
    desk.get_by_role("button", name="派单", exact=True).click()
    desk.wait_for_load_state()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.handler_region_id) == (Status.DISPATCHED, tree.community.pk)

    # The community worker signs for it and replies.
    worker = new_page(DESK)
    sign_in(worker, base, personas["community_worker"].phone, PASSWORD)
    worker.goto(f"{base}/tickets/?queue=to_sign_for")
    worker.get_by_role("link", name=str(ticket.pk), exact=True).click()
    worker.wait_for_load_state()
    worker.locator("form[data-action=sign_for] button").click()
    worker.wait_for_load_state()
    # After sign-for the reply is the open step; the return is folded away.
    assert worker.locator("details:has(form[data-action=request_return])").get_attribute("open") is None
    worker.fill("form[data-action=reply] textarea[name=reply]", "已更换3栋楼道灯泡。")
    shot(worker, "worker-ticket")
    worker.locator("form[data-action=reply] button").click()
    worker.wait_for_load_state()
    ticket.refresh_from_db()
    assert ticket.status == Status.REPLIED

    # Until the dispatcher approves it, the resident does not see the reply; then they read it and rate it.
    phone.goto(f"{base}/tickets/mine/{ticket.pk}/")
    assert phone.locator(".tk-reply").count() == 0 and phone.locator(".tk-rate").count() == 0
    desk.goto(f"{base}/tickets/{ticket.pk}/")
    desk.locator("form[data-action=approve_reply] button").click()
    desk.wait_for_load_state()
    ticket.refresh_from_db()
    assert ticket.status == Status.REVIEWED
    phone.goto(f"{base}/tickets/mine/{ticket.pk}/")
    assert "已更换3栋楼道灯泡" in phone.locator(".tk-reply").inner_text()
    phone.locator(".tk-rate").get_by_label("已解决").check()
    phone.locator(".tk-rate").get_by_label("满意", exact=True).check()
    shot(phone, "resident-rate")
    phone.get_by_role("button", name="提交评价").click()
    phone.wait_for_load_state()
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert FollowUp.objects.get(ticket=ticket).solved == "yes"
    shot(phone, "resident-closed")
