"""Source keys (来源密钥): set by the district admin, stored as a hash, secret encrypted."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.core.crypto import decrypt_text
from jishiyu.tickets import hotline
from jishiyu.tickets.models import Source


def test_the_district_admin_creates_a_source_and_sees_its_key_once(client: Any, personas: Any) -> None:
    client.force_login(personas["district_admin"])
    response = client.post(
        "/api/v1/hotline/sources",
        {"name": "南京12345", "callback_url": "https://city.example/cb"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    source = Source.objects.get()
    assert source.key_hash == hotline.key_hash(body["key"]) and body["key"] not in source.key_hash
    assert decrypt_text(source.secret_enc) == body["secret"] and body["secret"] not in source.secret_enc
    listed = client.get("/api/v1/hotline/sources").json()
    assert "key" not in listed[0] and listed[0]["key_hint"] == "…" + body["key"][-4:]


def test_a_new_key_replaces_the_old_one(personas: Any) -> None:
    admin = personas["district_admin"]
    first = hotline.source_create(actor=admin, name="南京12345")
    second = hotline.source_rotate_keys(actor=admin, source_id=first.source.pk)
    assert hotline.source_for_key(second.key) == first.source
    with pytest.raises(hotline.PermissionDenied):
        hotline.source_for_key(first.key)


def test_a_bad_callback_url_is_refused_on_its_field(personas: Any) -> None:
    with pytest.raises(hotline.ValidationFailed) as info:
        hotline.source_create(actor=personas["district_admin"], name="x", callback_url="ftp://nope")
    assert "callback_url" in info.value.errors


@pytest.mark.parametrize("persona", ["outsider", "other_community_worker", "street_dispatcher", "community_worker"])
def test_only_the_district_admin_manages_sources(client: Any, personas: Any, persona: str) -> None:
    hotline.source_create(actor=personas["district_admin"], name="南京12345")
    client.force_login(personas[persona])
    assert client.get("/api/v1/hotline/sources").status_code == 403
    assert client.post("/api/v1/hotline/sources", {"name": "x"}, content_type="application/json").status_code == 403
    assert client.get("/tickets/hotline/sources/").status_code == 403


def test_the_sources_page_issues_a_key_and_shows_it_once(client: Any, personas: Any) -> None:
    client.force_login(personas["district_admin"])
    response = client.post("/tickets/hotline/sources/", {"name": "南京12345", "channel": "hotline", "callback_url": ""})
    assert response.status_code == 200
    page = response.content.decode()
    source = Source.objects.get()
    assert "hl_" in page
    assert "hl_" not in client.get("/tickets/hotline/sources/").content.decode()
    assert source.key_hint in client.get("/tickets/hotline/sources/").content.decode()
