"""Resident self-service (个人信息保护法): my data, consents, correction/deletion requests, staff handling."""

from __future__ import annotations

from typing import Any

import pytest

from jishiyu.audit.models import AuditEntry
from jishiyu.core.testing import make_id_number
from jishiyu.notifications.models import Notification
from jishiyu.people import selfservice
from jishiyu.people.models import Consent, DataRequest, Person, PersonTag
from jishiyu.people.services import person_create, person_reveal, person_verify_resident

NUMBER = make_id_number(birth="19500101", seq=31)


@pytest.fixture
def me(personas: dict[str, Any], tree: Any) -> Person:
    worker = personas["community_worker"]
    person = person_create(
        actor=worker, name="居民甲", document_number=NUMBER, phone="13800000001", region=tree.grid, tags=["empty_nest"]
    )
    return person_verify_resident(actor=worker, person=person, user=personas["resident"])


def open_request(client: Any, user: Any, kind: str = "correction", detail: str = "我的名字写错了") -> int:
    client.force_login(user)
    response = client.post("/api/v1/me/requests", {"kind": kind, "detail": detail}, content_type="application/json")
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def test_a_resident_sees_what_is_held_about_them_masked(client, personas, me):
    person_reveal(actor=personas["community_worker"], person=me, field="phone", reason="上门走访联系")
    client.force_login(personas["resident"])
    body = client.get("/api/v1/me/data").json()
    person = body["person"]
    assert person["name"] == "居民甲" and person["document_masked"] == f"{NUMBER[:4]}**********{NUMBER[-4:]}"
    assert person["phone_masked"] == "138****0001" and person["region"] == "翠竹园第一网格"
    assert person["verified_by"] == "社区工作者" and person["tags"][0]["tag"] == "empty_nest"
    assert [c["purpose"] for c in body["consents"]] == list(Consent.Purpose.values)
    assert body["reveals"] == [
        {"at": body["reveals"][0]["at"], "by": "社区工作者", "fields": ["phone"], "reason": "上门走访联系"}
    ]
    assert NUMBER not in str(body) and "13800000001" not in str(body)


def test_the_my_data_page_shows_the_person_masked(client, personas, me):
    client.force_login(personas["resident"])
    page = client.get("/me/data/").content.decode()
    assert "居民甲" in page and "138****0001" in page and NUMBER not in page
    assert 'id="consent-public_need"' in page


def test_an_account_with_no_person_sees_an_empty_state(client, personas):
    client.force_login(personas["outsider"])
    assert client.get("/api/v1/me/data").json() == {"person": None, "consents": [], "reveals": []}
    response = client.get("/me/data/")
    assert response.status_code == 200 and "me-empty" in response.content.decode()


def test_an_account_with_no_person_cannot_consent_or_ask(client, personas):
    client.force_login(personas["outsider"])
    put = client.put("/api/v1/me/consents/public_need", {"granted": True}, content_type="application/json")
    post = client.post("/api/v1/me/requests", {"kind": "deletion", "detail": "删除"}, content_type="application/json")
    assert (put.status_code, post.status_code) == (404, 404)
    assert put.json()["title"] == str(selfservice.NO_PERSON)


def test_signed_out_visitors_get_401_and_the_login_page(client):
    assert client.get("/api/v1/me/data").status_code == 401
    assert client.get("/me/data/").status_code == 302


def test_a_resident_grants_and_withdraws_a_consent(client, personas, me):
    client.force_login(personas["resident"])
    url = "/api/v1/me/consents/volunteer_contact"
    assert client.put(url, {"granted": True}, content_type="application/json").json()["granted"] is True
    assert Consent.objects.get(person=me, purpose="volunteer_contact").granted
    assert client.put(url, {"granted": False}, content_type="application/json").json()["granted"] is False
    assert not Consent.objects.get(person=me, purpose="volunteer_contact").granted
    consent = Consent.objects.get(person=me, purpose="volunteer_contact")
    entries = AuditEntry.objects.filter(object_type="people.consent", object_id=str(consent.pk)).order_by("id")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["granted"] == {"before": True, "after": False}
    assert entries[1].actor == personas["resident"]


def test_the_consent_toggle_on_the_page_swaps_its_row(client, personas, me):
    client.force_login(personas["resident"])
    response = client.post("/me/consents/public_need/", {"granted": "1"}, HTTP_HX_REQUEST="true")
    assert 'aria-checked="true"' in response.content.decode()
    assert Consent.objects.get(person=me, purpose="public_need").granted


def test_an_unknown_consent_purpose_is_a_problem(client, personas, me):
    client.force_login(personas["resident"])
    response = client.put("/api/v1/me/consents/sell_my_data", {"granted": True}, content_type="application/json")
    assert response.status_code == 400 and "purpose" in response.json()["errors"]


def test_a_resident_asks_for_a_correction_and_sees_it_listed(client, personas, me):
    open_request(client, personas["resident"], detail="手机号应为13912345678")
    items = client.get("/api/v1/me/requests").json()["items"]
    assert [(i["kind"], i["status"]) for i in items] == [("correction", "open")]
    assert "13912345678" not in items[0]["detail"] and "139****5678" in items[0]["detail"]


def test_an_empty_request_is_refused_with_a_message_on_the_field(client, personas, me):
    client.force_login(personas["resident"])
    response = client.post("/me/requests/", {"kind": "correction", "detail": " "})
    assert response.status_code == 400
    assert not DataRequest.objects.exists()


def test_a_community_worker_handles_a_request_and_the_resident_is_notified(client, personas, me):
    request_id = open_request(client, personas["resident"])
    client.force_login(personas["community_worker"])
    assert client.get("/api/v1/me/staff-requests").json()["count"] == 1
    response = client.post(
        f"/api/v1/me/staff-requests/{request_id}/handle",
        {"status": "done", "resolution": "已更正姓名"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "done"
    note = Notification.objects.get(user=personas["resident"])
    assert "已更正姓名" in note.body
    entry = AuditEntry.objects.get(object_type="people.datarequest", action="update")
    assert entry.changes["status"] == {"before": "open", "after": "done"}
    assert entry.actor == personas["community_worker"]


@pytest.mark.parametrize("persona", ["other_community_worker", "outsider", "grid_worker", "resident"])
def test_a_request_is_invisible_to_staff_outside_its_scope(client, personas, me, persona):
    request_id = open_request(client, personas["resident"])
    client.force_login(personas[persona])
    assert client.get("/api/v1/me/staff-requests").json()["count"] == 0
    assert client.get(f"/api/v1/me/staff-requests/{request_id}").status_code == 404
    handle = client.post(
        f"/api/v1/me/staff-requests/{request_id}/handle",
        {"status": "refused", "resolution": "不行"},
        content_type="application/json",
    )
    assert handle.status_code == 404
    assert client.get(f"/me/staff/requests/{request_id}/").status_code == 404
    assert DataRequest.objects.get().status == "open"


def test_the_staff_page_lists_and_handles_requests(client, personas, me):
    request_id = open_request(client, personas["resident"])
    client.force_login(personas["community_secretary"])
    assert "我的名字写错了" in client.get("/me/staff/requests/").content.decode()
    response = client.post(f"/me/staff/requests/{request_id}/", {"status": "refused", "resolution": "请带证件来社区"})
    assert response.status_code == 302
    assert DataRequest.objects.get().status == "refused"


def test_a_request_cannot_be_handled_twice(client, personas, me):
    request_id = open_request(client, personas["resident"])
    client.force_login(personas["community_worker"])
    url = f"/api/v1/me/staff-requests/{request_id}/handle"
    client.post(url, {"status": "done", "resolution": "好的"}, content_type="application/json")
    again = client.post(url, {"status": "refused", "resolution": "不"}, content_type="application/json")
    assert again.status_code == 409


def test_a_handle_without_a_resolution_names_the_field(client, personas, me):
    request_id = open_request(client, personas["resident"])
    client.force_login(personas["community_worker"])
    response = client.post(
        f"/api/v1/me/staff-requests/{request_id}/handle",
        {"status": "done", "resolution": ""},
        content_type="application/json",
    )
    assert response.status_code == 422 and "resolution" in response.json()["errors"]


def test_a_done_deletion_removes_consents_and_phone_but_keeps_the_register(client, personas, me):
    Consent.objects.create(person=me, purpose="public_need", granted=True)
    request_id = open_request(client, personas["resident"], kind="deletion", detail="请删除我的可选信息")
    client.force_login(personas["community_worker"])
    client.post(
        f"/api/v1/me/staff-requests/{request_id}/handle",
        {"status": "done", "resolution": "已删除"},
        content_type="application/json",
    )
    me.refresh_from_db()
    assert (me.phone_enc, me.phone_hash, me.phone_masked) == ("", "", "")
    assert not Consent.objects.filter(person=me).exists()
    assert me.document_hash and PersonTag.objects.filter(person=me).exists()
    entry = AuditEntry.objects.get(object_type="people.person", action="delete")
    assert entry.changes["erased"] == ["consents", "phone"] and entry.reason == "已删除"


def test_the_staff_list_reads_a_bounded_number_of_queries(client, personas, me, django_assert_max_num_queries):
    for i in range(5):
        open_request(client, personas["resident"], detail=f"第{i}条")
    client.force_login(personas["community_worker"])
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/me/staff-requests").json()["count"] == 5
    with django_assert_max_num_queries(12):
        client.get("/me/staff/requests/")
