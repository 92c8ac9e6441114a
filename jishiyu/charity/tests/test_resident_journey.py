"""The donor's journey without dead ends: QR codes on the roadshow's cards, where and how to pay after a
donation, what happens next after a claim, and a big screen of its own."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from jishiyu.charity.models import Roadshow


@pytest.fixture
def roadshow(world: Any, tree: Any) -> Roadshow:
    show = Roadshow.objects.create(title="雨花公益路演", region=tree.community, starts_at=timezone.now())
    show.projects.add(world.project)
    for need in (world.wish, world.share_need):
        need.roadshow = show
        need.save()
    return show


def test_the_roadshow_cards_print_a_qr_code_per_need_and_no_raw_link(
    client: Any, roadshow: Roadshow, world: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["community_worker"])
    body = client.get(f"/charity/roadshows/{roadshow.pk}/cards/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert body.count('<svg role="img"') == 2
    assert 'class="qr"' in body
    assert "http://127.0.0.1" not in body and "://testserver" not in body
