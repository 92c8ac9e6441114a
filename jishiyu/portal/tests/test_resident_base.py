"""One resident base: every module page keeps the back link and the bottom bar, carries the elder-friendly
class when elder mode is on, and no page that works says its services are still coming."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.portal.modules import modules

RESIDENT_PAGES = [f"/m/{m.slug}/" for m in modules()] + ["/charity/", "/charity/mine/", "/circles/me/", "/compounds/"]


@pytest.fixture
def elder_resident(personas: Any) -> Any:
    user = personas["resident"]
    user.elder_mode = True
    user.save(update_fields=["elder_mode"])
    return user


@pytest.mark.parametrize("url", RESIDENT_PAGES)
def test_a_resident_page_keeps_the_back_link_and_bottom_bar_and_is_large_in_elder_mode(
    client: Any, elder_resident: Any, url: str
) -> None:
    client.force_login(elder_resident)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans" class="elder">' in body
    assert "data-back" in body and 'class="bottombar"' in body
    assert "resident.css" in body


@pytest.mark.parametrize("slug", [m.slug for m in modules()])
def test_a_module_page_no_longer_says_its_services_are_coming(client: Any, personas: Any, slug: str) -> None:
    client.force_login(personas["resident"])
    zh = client.get(f"/m/{slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    en = client.get(f"/m/{slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "陆续上线" not in zh and "step by step" not in en
    assert "在这里可以" in zh and "What you can do here" in en


def test_the_home_page_has_no_back_link(client: Any, personas: Any) -> None:
    client.force_login(personas["resident"])
    body = client.get("/").content.decode()
    assert "data-back" not in body and 'class="bottombar"' in body
