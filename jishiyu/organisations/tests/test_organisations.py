"""Organisations: services with credit-code validation, scope for every persona, API and pages."""

from __future__ import annotations

from typing import Any

import pytest
from stdnum.cn import uscc

from jishiyu.audit.models import AuditEntry
from jishiyu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jishiyu.organisations.models import Membership, Organisation
from jishiyu.organisations.services import (
    CREDIT_CODE_CHECKSUM,
    CREDIT_CODE_LENGTH,
    CREDIT_CODE_TAKEN,
    REGION_UNKNOWN,
    membership_add,
    membership_remove,
    organisation_create,
    organisation_update,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/organisations"


def make_code(body: str = "91320114MA1XY8BC7") -> str:
    """A unified social credit code with a valid check character."""
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def orgs(tree: Any) -> dict[str, Organisation]:
    return {
        "district_dept": Organisation.objects.create(kind="department", name="区民政局", region=tree.district),
        "property": Organisation.objects.create(
            kind="property_company", name="翠竹园物业", region=tree.compound, credit_code=make_code()
        ),
        "social": Organisation.objects.create(kind="social", name="新林社工站", region=tree.other_community),
    }


def test_a_district_admin_creates_an_organisation_with_a_valid_credit_code(personas: Any, tree: Any) -> None:
    code = make_code("12320114466012345")
    org = organisation_create(
        actor=personas["district_admin"],
        kind="foundation",
        name=" 科菲平基金会 ",
        region_id=tree.district.pk,
        credit_code=code.lower(),
    )
    assert org.name == "科菲平基金会"
    assert org.credit_code == code


def test_a_wrong_check_character_is_refused_naming_the_field(personas: Any, tree: Any) -> None:
    code = make_code()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as exc:
        organisation_create(
            actor=personas["district_admin"],
            kind="social",
            name="某社会组织",
            region_id=tree.district.pk,
            credit_code=wrong,
        )
    assert exc.value.errors == {"credit_code": [CREDIT_CODE_CHECKSUM]}
    assert not Organisation.objects.filter(name="某社会组织").exists()


def test_a_short_credit_code_is_refused(personas: Any, tree: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        organisation_create(
            actor=personas["district_admin"],
            kind="social",
            name="某组织",
            region_id=tree.district.pk,
            credit_code="91320114",
        )
    assert exc.value.errors["credit_code"] == [CREDIT_CODE_LENGTH]


def test_a_credit_code_held_by_another_organisation_is_refused(personas: Any, tree: Any, orgs: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        organisation_create(
            actor=personas["district_admin"],
            kind="enterprise",
            name="重复",
            region_id=tree.district.pk,
            credit_code=orgs["property"].credit_code,
        )
    assert exc.value.errors["credit_code"] == [CREDIT_CODE_TAKEN]


def test_several_bad_fields_are_reported_together(personas: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        organisation_create(actor=personas["district_admin"], kind="club", name=" ", region_id=999999)
    assert set(exc.value.errors) == {"kind", "name", "region"}


def test_a_community_worker_cannot_create_an_organisation(personas: Any, tree: Any) -> None:
    with pytest.raises(PermissionDenied):
        organisation_create(actor=personas["community_worker"], kind="social", name="x", region_id=tree.community.pk)


def test_an_admin_cannot_move_an_organisation_out_of_their_scope(personas: Any, tree: Any, orgs: Any) -> None:
    from conftest import make_user

    street_admin = make_user("13800000031", "街道管理员", "district_admin", tree.street)
    with pytest.raises(ValidationFailed) as exc:
        organisation_update(actor=street_admin, organisation=orgs["property"], region_id=tree.other_community.pk)
    assert exc.value.errors == {"region": [REGION_UNKNOWN]}
    with pytest.raises(NotFound):
        organisation_update(actor=street_admin, organisation=orgs["social"], name="改名")


def test_an_update_is_audited_with_before_and_after(personas: Any, orgs: Any) -> None:
    organisation_update(actor=personas["district_admin"], organisation=orgs["property"], contact_name="李经理")
    entry = AuditEntry.objects.filter(object_type="organisations.organisation", action="update").latest("id")
    assert entry.changes == {"contact_name": {"before": "", "after": "李经理"}}
    assert entry.region_path == orgs["property"].region.path


def test_a_member_is_added_once_and_removed(personas: Any, orgs: Any) -> None:
    admin = personas["district_admin"]
    member = membership_add(actor=admin, organisation=orgs["property"], user_id=personas["outsider"].pk, role="staff")
    with pytest.raises(Conflict):
        membership_add(actor=admin, organisation=orgs["property"], user_id=personas["outsider"].pk)
    membership_remove(actor=admin, membership_id=member.pk)
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_adding_an_unknown_user_or_role_names_the_fields(personas: Any, orgs: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        membership_add(actor=personas["district_admin"], organisation=orgs["property"], user_id=999999, role="boss")
    assert set(exc.value.errors) == {"user_id", "role"}


# --- API and pages, persona by persona ---------------------------------------------------------


def _names(response: Any) -> set[str]:
    return {item["name"] for item in response.json()["items"]}


def test_the_list_filters_by_kind(client: Any, personas: Any, orgs: Any) -> None:
    client.force_login(personas["district_admin"])
    assert _names(client.get(API, {"kind": "department"})) == {"区民政局"}
    assert _names(client.get(API)) == {"区民政局", "翠竹园物业", "新林社工站"}


def test_a_community_worker_sees_only_their_communitys_organisations(client: Any, personas: Any, orgs: Any) -> None:
    client.force_login(personas["community_worker"])
    assert _names(client.get(API)) == {"翠竹园物业"}
    assert client.get(f"{API}/{orgs['social'].pk}").status_code == 404
    assert client.get(f"/organisations/{orgs['social'].pk}/").status_code == 404


def test_another_communitys_worker_sees_only_theirs(client: Any, personas: Any, orgs: Any) -> None:
    client.force_login(personas["other_community_worker"])
    assert _names(client.get(API)) == {"新林社工站"}
    assert client.get(f"{API}/{orgs['property'].pk}").status_code == 404
    assert client.get(f"{API}/{orgs['property'].pk}/memberships").status_code == 404
    page = client.get("/organisations/")
    assert [o.name for o in page.context["page"].object_list] == ["新林社工站"]


def test_an_outsider_sees_no_organisation(client: Any, personas: Any, orgs: Any) -> None:
    client.force_login(personas["outsider"])
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{API}/{orgs['property'].pk}").status_code == 404
    assert client.get(f"/organisations/{orgs['property'].pk}/").status_code == 404
    assert client.get("/organisations/").status_code == 403  # refused, not an empty list
    response = client.patch(f"{API}/{orgs['property'].pk}", {"name": "x"}, content_type="application/json")
    assert response.status_code == 404


def test_creating_through_the_api_returns_201_or_field_errors(client: Any, personas: Any, tree: Any) -> None:
    client.force_login(personas["district_admin"])
    body = {"kind": "enterprise", "name": "爱心企业", "region_id": tree.street.pk, "credit_code": make_code()}
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["region_name"] == "雨花街道"
    response = client.post(API, {**body, "name": "又一家"}, content_type="application/json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "credit_code" in response.json()["errors"]


def test_updating_through_the_api_changes_only_the_fields_sent(client: Any, personas: Any, orgs: Any) -> None:
    client.force_login(personas["system_admin"])
    response = client.patch(f"{API}/{orgs['property'].pk}", {"active": False}, content_type="application/json")
    assert response.status_code == 200
    orgs["property"].refresh_from_db()
    assert orgs["property"].active is False
    assert orgs["property"].name == "翠竹园物业"


def test_a_viewer_cannot_update_an_organisation_they_can_see(client: Any, personas: Any, orgs: Any) -> None:
    client.force_login(personas["community_worker"])
    response = client.patch(f"{API}/{orgs['property'].pk}", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_memberships_through_the_api_show_masked_phones(client: Any, personas: Any, orgs: Any) -> None:
    client.force_login(personas["district_admin"])
    url = f"{API}/{orgs['property'].pk}/memberships"
    response = client.post(
        url, {"user_id": personas["resident"].pk, "role": "contact"}, content_type="application/json"
    )
    assert response.status_code == 201
    listed = client.get(url).json()["items"]
    assert listed[0]["user_phone"] == "138****0001"
    assert personas["resident"].phone not in client.get(url).content.decode()
    assert client.delete(f"{url}/{listed[0]['id']}").status_code == 204


def test_the_list_page_keeps_to_a_few_queries(
    client: Any, personas: Any, tree: Any, orgs: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(20):
        Organisation.objects.create(kind="social", name=f"组织{i}", region=tree.community)
    client.force_login(personas["district_admin"])
    client.get("/organisations/")
    with django_assert_max_num_queries(8):
        response = client.get("/organisations/")
    assert response.status_code == 200


def test_the_detail_page_lists_members(client: Any, personas: Any, orgs: Any) -> None:
    Membership.objects.create(organisation=orgs["property"], user=personas["resident"], role="contact")
    client.force_login(personas["community_worker"])
    response = client.get(f"/organisations/{orgs['property'].pk}/")
    assert response.status_code == 200
    assert "居民甲" in response.content.decode()
    assert "138****0001" in response.content.decode()


def test_the_export_holds_only_the_organisations_in_scope(client: Any, personas: Any, orgs: Any) -> None:
    import io

    from openpyxl import load_workbook

    client.force_login(personas["community_worker"])
    response = client.get("/organisations/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["翠竹园物业"]
