"""Browser journeys of the people app (Playwright driving Debian's chromium): a community worker sees
only their community's residents, masked, reveals one id number with a reason; the auditor finds that
reveal in the audit log; a resident on a phone sees their own data, masked."""

from __future__ import annotations

import re

import pytest

from conftest import PASSWORD
from jishiyu.conftest import DESK, PHONE, sign_in
from jishiyu.core.crypto import encrypt_text, keyed_hash
from jishiyu.core.masking import mask_id_number, mask_phone
from jishiyu.core.testing import make_id_number
from jishiyu.people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

NUMBER = make_id_number(birth="19600101", seq=123)  # 320114196001011234
MASKED = "3201**********1234"
OWN_NUMBER = make_id_number(birth="19800101", seq=19)
REASON = "核对低保申请材料"
PLAIN_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def _person(name: str, region, number: str, phone: str, user=None) -> Person:
    """Stored as the services store one (encrypted, hashed, masked)."""
    return Person.objects.create(
        name=name,
        region=region,
        user=user,
        document_enc=encrypt_text(number),
        document_hash=keyed_hash(number),
        document_masked=mask_id_number(number),
        phone_enc=encrypt_text(phone),
        phone_hash=keyed_hash(phone),
        phone_masked=mask_phone(phone),
    )


@pytest.fixture
def residents(tree, personas):
    """Two residents of 翠竹园 (one of them the resident persona), two of 新林, one of 凤台."""
    return {
        "target": _person("赵一", tree.grid, NUMBER, "13812345678"),
        "own": _person("居民甲", tree.grid, OWN_NUMBER, "13800000001", user=personas["resident"]),
        "other": _person("新林甲", tree.other_grid, make_id_number(birth="19700101", seq=16), "13911112222"),
        "other2": _person("新林乙", tree.other_community, make_id_number(birth="19750101", seq=11), "13933334444"),
        "sibling": _person("凤台甲", tree.sibling_community, make_id_number(birth="19650101", seq=13), "13955556666"),
    }


def test_a_community_worker_reveals_an_id_and_the_auditor_finds_the_reason(live_server, new_page, personas, residents):
    page = new_page(DESK)
    sign_in(page, live_server.url, personas["community_worker"].phone, PASSWORD)
    page.goto(f"{live_server.url}/people/")
    names = page.locator("#people-table tbody td:first-child").all_inner_texts()
    assert sorted(names) == ["居民甲", "赵一"]
    html = page.content()
    for outside in ("新林甲", "新林乙", "凤台甲"):
        assert outside not in html
    assert MASKED in page.locator("#people-table").inner_text()
    assert not PLAIN_ID.search(html)

    page.locator("#people-table a", has_text="赵一").click()
    page.wait_for_load_state()
    cell = page.locator("#reveal-document_number")
    assert MASKED in cell.inner_text()
    assert NUMBER not in page.content()
    cell.get_by_role("link", name="查看").click()
    cell.locator("input[name=reason]").fill(REASON)
    cell.get_by_role("button", name="查看").click()
    page.locator("#reveal-document_number .revealed").wait_for()
    assert cell.locator(".revealed").inner_text() == NUMBER

    auditor = new_page(DESK)
    sign_in(auditor, live_server.url, personas["auditor"].phone, PASSWORD)
    auditor.goto(f"{live_server.url}/audit/")
    row = auditor.locator("table.audit-entries tbody tr", has_text=REASON)
    assert row.count() == 1
    assert "赵一" in row.inner_text()
    assert personas["community_worker"].name in row.inner_text()
    assert NUMBER not in auditor.content()


def test_a_resident_on_a_phone_sees_their_own_data_masked(live_server, new_page, personas, residents):
    page = new_page(PHONE)
    sign_in(page, live_server.url, personas["resident"].phone, PASSWORD)
    page.goto(f"{live_server.url}/me/data/")
    facts = page.locator(".me-facts").inner_text()
    assert "居民甲" in facts
    assert mask_id_number(OWN_NUMBER) in facts
    assert "138****0001" in facts
    html = page.content()
    assert OWN_NUMBER not in html
    assert not PLAIN_ID.search(html)
    assert "赵一" not in html
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
