"""Browser journey (Playwright, Debian's chromium): owners vote on phones with big buttons; after the close the
result page shows both thresholds and whether each was met. Screenshots land in /tmp/shots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from jishiyu.conftest import DESK, PHONE, sign_in
from jishiyu.deliberation import services
from jishiyu.deliberation.models import Ballot
from jishiyu.deliberation.tests.factories import PASSWORD, build_estate, open_vote, past_close

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path("/tmp/shots")


def test_owners_vote_on_phones_and_the_result_page_shows_both_thresholds(live_server, new_page, tree, personas):
    estate = build_estate(tree)
    secretary = personas["community_secretary"]
    vote = open_vote(secretary, estate, matter=7)
    SHOTS.mkdir(exist_ok=True)
    for name, button in [("甲", "同意"), ("乙", "同意"), ("丙", "弃权")]:
        page = new_page(PHONE)
        sign_in(page, live_server.url, estate.owners[name].phone, PASSWORD)
        page.goto(f"{live_server.url}/compounds/votes/{vote.pk}/")
        choice = page.get_by_role("button", name=button)
        box = choice.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 200
        if name == "甲":
            page.screenshot(path=str(SHOTS / "deliberation-vote-phone.png"), full_page=True)
        choice.click()
        page.wait_for_load_state()
        # the first tap only asks: the confirmation step shows the choice and says it is final
        assert button in page.locator("[data-confirm]").inner_text()
        assert Ballot.objects.filter(vote=vote, person__name=name).count() == 0
        if name == "甲":
            page.screenshot(path=str(SHOTS / "deliberation-vote-confirm-phone.png"), full_page=True)
        page.locator("[data-confirm-submit]").click()
        page.wait_for_load_state()
        assert "您已投票" in page.locator(".delib-voted").inner_text()
    assert Ballot.objects.filter(vote=vote).count() == 3
    past_close(vote)
    services.vote_close(actor=secretary, vote=vote)

    page = new_page(PHONE)
    sign_in(page, live_server.url, estate.owners["乙"].phone, PASSWORD)
    page.goto(f"{live_server.url}/compounds/votes/{vote.pk}/")
    rows = page.locator(".delib-thresholds tbody tr")
    assert rows.count() == 4
    texts = rows.all_inner_texts()
    # 甲 160 + 乙 80 + 丙 90 of 470 m² (33/47 ≥ 2/3); 3 of 4 owners (≥ 2/3): quorum met.
    assert "33/47" in texts[0] and "≥ 2/3" in texts[0] and "达到" in texts[0]
    assert "3/4" in texts[1] and "达到" in texts[1]
    # for: 240 of 330 m² = 8/11 < 3/4, 2 of 3 owners < 3/4: approval not met.
    assert "8/11" in texts[2] and "≥ 3/4" in texts[2] and "未达到" in texts[2]
    assert "2/3" in texts[3] and "未达到" in texts[3]
    assert "未通过" in page.locator(".delib-result h2").inner_text()
    page.screenshot(path=str(SHOTS / "deliberation-result-phone.png"), full_page=True)
    desk = new_page(DESK)
    sign_in(desk, live_server.url, secretary.phone, "Test-pass-123")
    desk.goto(f"{live_server.url}/compounds/{estate.compound.pk}/")
    desk.screenshot(path=str(SHOTS / "deliberation-compound-desk.png"), full_page=True)
