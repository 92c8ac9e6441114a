"""The demo's exchange keys work and match the README."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest.mock import Mock

from django.conf import settings

from jishiyu.tickets import demo_hotline, hotline
from jishiyu.tickets.callbacks import body_bytes, sign, verify
from jishiyu.tickets.models import Channel


def test_the_demo_keys_work_and_each_is_in_the_readme_on_its_own_line(personas: Any) -> None:
    context = Mock(accounts={"district_admin": personas["district_admin"]})
    demo_hotline.build(context)
    demo_hotline.build(context)  # twice: still one of each
    source = hotline.source_for_key(demo_hotline.DEMO_HOTLINE_KEY, channel=Channel.HOTLINE)
    assert hotline.source_for_key(demo_hotline.DEMO_OPEN311_KEY, channel=Channel.OPEN311)
    body = body_bytes({"event": "closed"})
    assert verify(body, demo_hotline.DEMO_HOTLINE_SECRET, sign(body, source._secret_plain()))
    lines = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8").splitlines()
    for value in (demo_hotline.DEMO_HOTLINE_KEY, demo_hotline.DEMO_HOTLINE_SECRET, demo_hotline.DEMO_OPEN311_KEY):
        assert f"  `{value}`" in lines
