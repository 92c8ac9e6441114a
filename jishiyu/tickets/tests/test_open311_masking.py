"""The public Open311 view never publishes a phone or id number, however the resident wrote it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jishiyu.tickets.tests.hotline_fixtures import category, open311_source

__all__ = ["category", "open311_source"]

WRITTEN = [
    "138 1234 5678",
    "138-1234-5678",
    "+8613812345678",
    "１３８１２３４５６７８",
    "320114 19800101 001X",
]


@pytest.mark.parametrize("written", WRITTEN)
def test_a_public_request_masks_numbers_written_any_common_way(
    client: Any, open311_source: Any, category: Any, written: str
) -> None:
    form = {
        "api_key": open311_source.key,
        "service_code": category.code,
        "lat": "31.99",
        "long": "118.78",
        "address_string": f"雨花街道翠竹园小区3栋 {written}",
        "description": f"路灯坏了，联系我 {written}",
        "attribute[kind]": "help",
    }
    created = client.post("/open311/v2/requests.json", form)
    assert created.status_code in (200, 201), created.content
    request_id = json.loads(created.content)[0]["service_request_id"]
    for url in (f"/open311/v2/requests/{request_id}.json", "/open311/v2/requests.json"):
        body = json.dumps(client.get(url).json(), ensure_ascii=False)
        assert written not in body
        assert "1234" not in body and "１２３４" not in body and "19800101" not in body
