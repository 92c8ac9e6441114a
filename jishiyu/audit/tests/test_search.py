"""The auditor's search: page, export and API, scoped, and closed to everyone else (三员分立)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import make_user
from jishiyu.audit.models import AuditEntry
from jishiyu.audit.services import audit_record

pytestmark = pytest.mark.django_db

URL = "/audit/"
API = "/api/v1/audit/entries"


@pytest.fixture
def entries(tree: Any, personas: Any) -> dict[str, AuditEntry]:
    worker = personas["community_worker"]
    return {
        "reveal_here": audit_record(
            action="reveal",
            object_type="people.person",
            object_id="101",
            region_path=tree.grid.path,
            changes={"field": "document"},
            reason="核实低保申请",
            actor=worker,
        ),
        "update_other_street": audit_record(
            action="update", object_type="people.person", object_id="202", region_path=tree.other_grid.path
        ),
        "sign_in": audit_record(action="login", object_type="accounts.user", object_id="7", actor=worker),
    }


def _street_auditor(tree: Any) -> Any:
    return make_user("13800000021", "街道审计员", "auditor", tree.street)


def _ids(response: Any) -> set[int]:
    return {item["id"] for item in response.json()["items"]}


def test_an_auditor_at_the_district_finds_a_reveal_by_text_in_its_reason(
    client: Any, personas: Any, entries: Any
) -> None:
    client.force_login(personas["auditor"])
    response = client.get(URL, {"reason": "低保", "action": "reveal"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [entries["reveal_here"]]
    assert "核实低保申请" in response.content.decode()


def test_an_auditor_at_the_district_sees_sign_ins_and_every_street(client: Any, personas: Any, entries: Any) -> None:
    client.force_login(personas["auditor"])
    ids = _ids(client.get(API))
    assert {e.pk for e in entries.values()} <= ids


@pytest.mark.parametrize("persona", ["system_admin", "security_admin", "outsider", "district_admin"])
def test_anyone_but_an_auditor_gets_404_on_the_page_the_export_and_the_api(
    client: Any, personas: Any, entries: Any, persona: str
) -> None:
    client.force_login(personas[persona])
    assert client.get(URL).status_code == 404
    assert client.get(URL + "export.xlsx").status_code == 404
    assert client.get(API).status_code == 404
    assert client.get(f"{API}/{entries['reveal_here'].pk}").status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client: Any, entries: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert client.get(API).status_code == 401


def test_an_auditor_at_a_street_sees_only_that_streets_entries(client: Any, tree: Any, entries: Any) -> None:
    client.force_login(_street_auditor(tree))
    assert _ids(client.get(API, {"object_type": "people.person"})) == {entries["reveal_here"].pk}
    assert not AuditEntry.objects.filter(pk__in=_ids(client.get(API)), region_path="").exists()
    page = client.get(URL, {"object_type": "people.person"})
    assert list(page.context["page"].object_list) == [entries["reveal_here"]]
    assert client.get(f"{API}/{entries['update_other_street'].pk}").status_code == 404
    assert client.get(f"{API}/{entries['sign_in'].pk}").status_code == 404


def test_the_api_filters_by_record_type_and_id(client: Any, personas: Any, entries: Any) -> None:
    client.force_login(personas["auditor"])
    response = client.get(API, {"object_type": "people.person", "object_id": "202"})
    assert _ids(response) == {entries["update_other_street"].pk}


def test_the_api_filters_by_actor_id_and_date_range(client: Any, personas: Any, entries: Any) -> None:
    client.force_login(personas["auditor"])
    today = timezone.localdate(entries["sign_in"].at).isoformat()
    worker = personas["community_worker"].pk
    response = client.get(API, {"actor": str(worker), "date_from": today, "date_to": today})
    assert _ids(response) == {entries["reveal_here"].pk, entries["sign_in"].pk}
    assert _ids(client.get(API, {"date_from": "2000-01-01", "date_to": "2000-01-02"})) == set()


def test_the_api_paginates(client: Any, personas: Any, entries: Any) -> None:
    client.force_login(personas["auditor"])
    body = client.get(API, {"page_size": 1}).json()
    assert len(body["items"]) == 1
    assert body["count"] >= 3
    assert body["next"] is not None


def test_the_api_names_the_field_of_a_bad_filter(client: Any, personas: Any) -> None:
    client.force_login(personas["auditor"])
    response = client.get(API, {"action": "dance"})
    assert response.status_code == 422 or response.status_code == 400
    assert "action" in response.json()["errors"]
    response = client.get(API, {"date_from": "2024-02-01", "date_to": "2024-01-01"})
    assert "date_to" in response.json()["errors"]


def test_a_bad_date_on_the_page_is_shown_beside_the_field_not_a_500(client: Any, personas: Any) -> None:
    client.force_login(personas["auditor"])
    response = client.get(URL, {"date_from": "not-a-date"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_from"]


def test_the_list_page_keeps_to_a_few_queries(
    client: Any, personas: Any, entries: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        audit_record(action="update", object_type="people.person", object_id=str(i), region_path="/1/")
    client.force_login(personas["auditor"])
    client.get(URL)
    with django_assert_max_num_queries(8):
        client.get(URL)


def test_the_export_holds_the_entries_and_is_itself_audited(client: Any, personas: Any, entries: Any) -> None:
    auditor = personas["auditor"]
    client.force_login(auditor)
    response = client.get(URL + "export.xlsx", {"action": "reveal"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][4] == "101"
    export = AuditEntry.objects.get(action="export", object_type="audit.auditentry")
    assert export.actor == auditor
    assert export.changes["count"] == 1
    assert export.region_path == personas["auditor"].region_paths_for("audit.view")[0]
