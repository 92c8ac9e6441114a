"""Browser checks (Playwright driving Debian's chromium) of the ticket page with photos, the routing
suggestion, a suspected duplicate and the escalations, and of the district's settings pages, on a phone
(390×844) and a desk (1366×900). Screenshots land in /tmp/shots/ for a person to look at."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import PASSWORD
from jishiyu.conftest import DESK, PHONE, sign_in
from jishiyu.tickets import escalation, photos, services
from jishiyu.tickets.models import Holiday, Status, Ticket
from jishiyu.tickets.tests.conftest import ensure_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path("/tmp/shots")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"tickets-{name}.png"), full_page=True)


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small solid PNG, made with the standard library (a photo stand-in that browsers can show)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_the_dispatcher_sees_photos_suggestion_duplicate_and_escalation_and_merges(
    live_server: Any, new_page: Any, personas: Any, tree: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    ensure_catalogue()
    base = live_server.url
    first, _ = services.ticket_create(
        actor=personas["resident"],
        channel="portal",
        kind="help",
        category="C0105",
        content="翠竹园3栋门口路灯不亮了，晚上很黑，老人出门不方便",
        address="翠竹园3栋",
        region=tree.grid,
    )
    second, _ = services.ticket_create(
        actor=personas["outsider"],
        channel="portal",
        kind="help",
        content="3栋门口的路灯晚上不亮",
        region=tree.grid,
    )
    for colour in ((200, 60, 40), (40, 120, 200)):
        upload = SimpleUploadedFile("lamp.png", png(64, 48, colour), content_type="image/png")
        photos.ticket_photos_add(actor=personas["resident"], ticket=first, photos=[upload])
    Ticket.objects.filter(pk=first.pk).update(
        suggested_handler={
            "rule": {"handler": f"region:{tree.community.pk}", "name": "翠竹园社区", "level": "community"},
            "learned": {"handler": f"region:{tree.grid.pk}", "name": "翠竹园第一网格", "confidence": 0.83},
        }
    )

    desk = new_page(DESK)
    sign_in(desk, base, personas["street_dispatcher"].phone, PASSWORD)
    desk.goto(f"{base}/tickets/{first.pk}/")
    assert desk.locator(".tk-suggestion").is_visible()
    assert desk.locator(".tk-photos img").count() == 2
    # The page's CSP forbids eval, so wait_for_function (which evaluates a string) cannot be used: poll.
    for _ in range(50):
        loaded = desk.locator(".tk-photos img").evaluate_all(
            "imgs => imgs.every(i => i.complete && i.naturalWidth > 0)"
        )
        if loaded:
            break
        desk.wait_for_timeout(100)
    assert loaded
    assert desk.locator(".tk-dups").is_visible()
    shot(desk, "detail-dispatcher-desk")
    phone = new_page(PHONE)
    sign_in(phone, base, personas["street_dispatcher"].phone, PASSWORD)
    phone.goto(f"{base}/tickets/{first.pk}/")
    assert no_horizontal_scroll(phone)
    shot(phone, "detail-dispatcher-phone")

    # The dispatcher merges the repeat into the first ticket, then dispatches it as suggested.
    desk.locator(f"form[action='/tickets/{second.pk}/merge/'] button").click()
    desk.wait_for_load_state()
    second.refresh_from_db()
    assert second.status == Status.MERGED and second.duplicate_of_id == first.pk
    desk.locator(".tk-suggestion form button").first.click()
    desk.wait_for_load_state()
    first.refresh_from_db()
    assert first.status == Status.DISPATCHED and first.handler_region_id == tree.community.pk

    # Overdue: the community's ticket goes up to the street, then the district.
    first = services.ticket_sign_for(actor=personas["community_worker"], ticket=first)
    assert first.due_at is not None
    escalation.tickets_escalate_overdue(now=first.due_at + dt.timedelta(hours=1))
    escalation.tickets_escalate_overdue(now=first.due_at + dt.timedelta(hours=30))
    desk.goto(f"{base}/tickets/{first.pk}/")
    assert desk.locator(".tk-escalations li").count() == 2
    shot(desk, "detail-escalated-desk")

    # The resident sees the photos on a phone and adds one more; a renamed document is refused.
    resident = new_page(PHONE)
    sign_in(resident, base, personas["resident"].phone, PASSWORD)
    resident.goto(f"{base}/tickets/mine/{first.pk}/")
    assert resident.locator(".tk-photos img").count() == 2 and no_horizontal_scroll(resident)
    shot(resident, "mine-photos-phone")
    resident.get_by_role("link", name="补充照片").click()
    fake = tmp_path / "scan.jpg"
    fake.write_bytes(b"%PDF-1.7\n" + b"\x00" * 100)
    resident.set_input_files("input[name=photos]", str(fake))
    resident.get_by_role("button", name="上传").click()
    resident.wait_for_load_state()
    assert "scan.jpg" in resident.locator("#photos-errors").inner_text()
    shot(resident, "photo-add-error-phone")
    real = tmp_path / "lamp.png"
    real.write_bytes(png(64, 48, (60, 160, 80)))
    resident.set_input_files("input[name=photos]", str(real))
    resident.get_by_role("button", name="上传").click()
    resident.wait_for_load_state()
    assert resident.locator(".tk-photos img").count() == 3


def test_the_district_admin_keeps_the_catalogue_time_limits_and_holidays(
    live_server: Any, new_page: Any, personas: Any, tree: Any
) -> None:
    ensure_catalogue()
    base = live_server.url
    desk = new_page(DESK)
    sign_in(desk, base, personas["district_admin"].phone, PASSWORD)
    desk.goto(f"{base}/work/")
    # the settings sit among the staff menu's tools (reachability: workbench/tests/test_menus.py)
    desk.goto(f"{base}/tickets/settings/")
    desk.wait_for_load_state()
    assert "/tickets/settings/categories/" in desk.url
    shot(desk, "settings-categories-desk")
    desk.goto(f"{base}/tickets/settings/time-limits/")
    shot(desk, "settings-time-limits-desk")
    desk.get_by_role("link", name="新增时限规则").click()
    desk.fill("input[name=amount]", "0")
    desk.fill("input[name=effective_from]", "2025-03-01")
    desk.fill("input[name=effective_to]", "2025-01-01")
    desk.get_by_role("button", name="保存").click()
    desk.wait_for_load_state()
    assert desk.locator("ul.errorlist[data-field=amount]").is_visible()
    assert desk.locator("ul.errorlist[data-field=effective_to]").is_visible()
    shot(desk, "settings-time-limit-errors-desk")
    desk.goto(f"{base}/tickets/settings/holidays/new/")
    desk.fill("input[name=date]", "2031-01-02")
    desk.fill("input[name=note]", "元旦")
    desk.get_by_role("button", name="保存").click()
    desk.wait_for_load_state()
    assert Holiday.objects.filter(date=dt.date(2031, 1, 2)).exists()
    shot(desk, "settings-holidays-desk")

    phone = new_page(PHONE)
    sign_in(phone, base, personas["district_admin"].phone, PASSWORD)
    for name, url in (
        ("categories", "/tickets/settings/categories/"),
        ("time-limits", "/tickets/settings/time-limits/"),
        ("category-form", "/tickets/settings/categories/new/"),
        ("holidays", "/tickets/settings/holidays/"),
    ):
        phone.goto(f"{base}{url}")
        assert no_horizontal_scroll(phone), name
        shot(phone, f"settings-{name}-phone")


def test_on_a_phone_the_queue_is_a_list_of_cards_without_sideways_scrolling(
    live_server: Any, new_page: Any, personas: Any, tree: Any
) -> None:
    ensure_catalogue()  # a live server's database starts empty
    ticket, _ = services.ticket_create(
        actor=personas["resident"],
        channel="portal",
        kind="help",
        category="C0105",
        content="楼道灯坏了",
        region=tree.grid,
    )
    phone = new_page(PHONE)
    sign_in(phone, live_server.url, personas["community_worker"].phone, PASSWORD)
    phone.goto(f"{live_server.url}/tickets/?queue=all")
    card = phone.locator(".tk-table tbody tr").first
    assert not phone.locator(".tk-table thead").is_visible()
    assert "楼道灯坏了" in card.locator(".tk-c-content").inner_text()
    label = card.locator(".tk-c-queue").evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"所在队列："'  # each detail says what it is
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert no_horizontal_scroll(phone)
    shot(phone, "queue-phone")
    card.locator(".tk-c-content a").click()
    phone.wait_for_url(f"**/tickets/{ticket.pk}/")
