"""Browser journey of a meeting (Playwright, Debian's chromium): the convener schedules a four-party meeting at
the desk, records who came, removes a mistaken entry, records the decisions and uploads the minutes; an owner
opens the meeting on a phone and reads it. Screenshots land in /tmp/shots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from jishiyu.conftest import DESK, PHONE, sign_in
from jishiyu.deliberation.models import Attendance, Meeting
from jishiyu.deliberation.tests.factories import PASSWORD, build_estate

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path("/tmp/shots")


def test_the_convener_runs_a_meeting_and_an_owner_reads_it_on_a_phone(
    live_server, new_page, tree, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    estate = build_estate(tree)
    secretary = personas["community_secretary"]
    SHOTS.mkdir(exist_ok=True)
    desk = new_page(DESK)
    sign_in(desk, live_server.url, secretary.phone, "Test-pass-123")
    desk.goto(f"{live_server.url}/compounds/{estate.compound.pk}/meetings/new/")
    desk.get_by_label("标题").fill("四方议事会：加装电梯")
    desk.get_by_label("召开时间").fill("2030-05-01T19:00")
    desk.get_by_label("议程").fill("1. 加装电梯方案\n2. 楼道灯")
    desk.locator("main form button[type=submit], main form button.btn").first.click()
    desk.wait_for_load_state()
    meeting = Meeting.objects.get()
    assert desk.url.endswith(f"/compounds/meetings/{meeting.pk}/")

    for name in ("王书记", "张三（错记）"):
        desk.locator("summary", has_text="登记出席人").click()
        desk.locator("form[action$='/attendance/'] input[name=name]").fill(name)
        desk.locator("form[action$='/attendance/'] button").click()
        desk.wait_for_load_state()
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    desk.get_by_role("button", name="移除 张三（错记）").click()
    desk.wait_for_load_state()
    assert list(Attendance.objects.filter(meeting=meeting).values_list("name", flat=True)) == ["王书记"]
    assert "张三（错记）" not in desk.locator("ul.attendance").inner_text()

    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4\n% minutes\n")
    desk.locator("summary", has_text="登记议定事项").click()
    desk.locator("form[action$='/record/'] textarea[name=decisions]").fill("同意启动加装电梯意见征集")
    desk.locator("form[action$='/record/'] input[name=minutes]").set_input_files(str(minutes))
    desk.locator("form[action$='/record/'] button").click()
    desk.wait_for_load_state()
    desk.screenshot(path=str(SHOTS / "deliberation-meeting-desk.png"), full_page=True)

    phone = new_page(PHONE)
    sign_in(phone, live_server.url, estate.owners["乙"].phone, PASSWORD)
    phone.goto(f"{live_server.url}/compounds/meetings/{meeting.pk}/")
    body = phone.locator("main").inner_text()
    assert "加装电梯方案" in body and "王书记" in body and "同意启动加装电梯意见征集" in body
    assert phone.get_by_role("link", name="下载会议纪要").count() == 1
    assert phone.get_by_role("button", name="移除 王书记").count() == 0
    phone.screenshot(path=str(SHOTS / "deliberation-meeting-phone.png"), full_page=True)
