from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import PASSWORD
from jishiyu.accounts import services
from jishiyu.accounts.models import RoleAssignment, User
from jishiyu.accounts.roles import Role
from jishiyu.notifications.models import OutboxMessage

STAFF_URL = "/api/v1/auth/staff"


def create(client: Any, tree_region: Any, role: str = Role.GRID_WORKER, phone: str = "13700000001") -> Any:
    return client.post(
        STAFF_URL,
        {"phone": phone, "name": "新网格员", "role": role, "region": tree_region.pk},
        content_type="application/json",
    )


def test_a_community_secretary_creates_a_grid_worker_in_their_community(client: Any, personas: dict, tree: Any) -> None:
    client.force_login(personas["community_secretary"])
    response = create(client, tree.grid)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone_masked"] == "137****0001"
    user = User.objects.get(phone="13700000001")
    assert user.role_assignments.get().role == Role.GRID_WORKER
    assert not user.has_usable_password()
    assert OutboxMessage.objects.filter(phone="13700000001").exists()


def test_the_new_staff_member_sets_a_password_by_reset_and_signs_in(client: Any, personas: dict, tree: Any) -> None:
    services.staff_create(
        actor=personas["community_secretary"],
        phone="13700000001",
        name="新",
        role="grid_worker",
        region_id=tree.grid.pk,
    )
    services.reset_request_code(phone="13700000001")
    from jishiyu.accounts.tests.helpers import last_code

    services.user_reset_password(phone="13700000001", code=last_code("13700000001"), password="Fresh-pass-456")
    response = client.post(
        "/api/v1/auth/token", {"phone": "13700000001", "password": "Fresh-pass-456"}, content_type="application/json"
    )
    assert response.status_code == 200


def test_a_community_secretary_cannot_create_staff_in_another_community(client: Any, personas: dict, tree: Any) -> None:
    client.force_login(personas["community_secretary"])
    response = create(client, tree.other_grid)
    assert response.status_code == 422
    assert "region" in response.json()["errors"]
    assert not User.objects.filter(phone="13700000001").exists()


def test_a_community_secretary_cannot_grant_a_role_above_their_own(client: Any, personas: dict, tree: Any) -> None:
    client.force_login(personas["community_secretary"])
    response = create(client, tree.community, role=Role.STREET_OFFICIAL)
    assert response.status_code == 400
    assert "role" in response.json()["errors"]


def test_a_district_admin_may_create_a_street_official(client: Any, personas: dict, tree: Any) -> None:
    client.force_login(personas["district_admin"])
    assert create(client, tree.street, role=Role.STREET_OFFICIAL).status_code == 201


def test_a_bad_phone_is_named(client: Any, personas: dict, tree: Any) -> None:
    client.force_login(personas["community_secretary"])
    response = create(client, tree.grid, phone="12345")
    assert response.status_code == 422
    assert "phone" in response.json()["errors"]


def test_separated_duties_refuse_a_second_of_the_three_roles(client: Any, personas: dict, tree: Any) -> None:
    client.force_login(personas["system_admin"])
    auditor = personas["auditor"]
    response = create(client, tree.district, role=Role.SECURITY_ADMIN, phone=auditor.phone)
    assert response.status_code == 400
    assert response.json()["errors"]["role"] == [str(services.SEPARATED_DUTIES_CONFLICT)]
    assert set(auditor.role_assignments.values_list("role", flat=True)) == {Role.AUDITOR}


@pytest.mark.parametrize("persona", ["outsider", "resident", "grid_worker"])
def test_people_without_the_manage_permission_are_refused_on_staff_endpoints(
    client: Any, personas: dict, tree: Any, persona: str
) -> None:
    client.force_login(personas[persona])
    assert client.get(STAFF_URL).status_code in (403, 404)
    assert create(client, tree.grid).status_code in (403, 404)
    assert client.get(f"{STAFF_URL}/{personas['grid_worker'].pk}").status_code in (403, 404)
    assert not User.objects.filter(phone="13700000001").exists()


def test_the_staff_list_holds_only_staff_in_scope(
    client: Any, personas: dict, django_assert_max_num_queries: Any
) -> None:
    client.force_login(personas["community_secretary"])
    with django_assert_max_num_queries(12):
        body = client.get(STAFF_URL).json()
    names = {item["name"] for item in body["items"]}
    assert {"网格员", "社区工作者", "书记"} <= names
    assert "新林社工" not in names
    assert "区管理员" not in names
    assert "居民甲" not in names
    assert body["count"] == len(body["items"])
    assert "13800000002" not in str(body)


def test_the_staff_list_is_paginated(client: Any, personas: dict) -> None:
    client.force_login(personas["district_admin"])
    body = client.get(STAFF_URL, {"page_size": 2}).json()
    assert len(body["items"]) == 2
    assert body["next"]


def test_a_staff_member_out_of_scope_answers_404(client: Any, personas: dict) -> None:
    client.force_login(personas["community_secretary"])
    other = personas["other_community_worker"]
    assert client.get(f"{STAFF_URL}/{other.pk}").status_code == 404
    assert client.post(f"{STAFF_URL}/{other.pk}/deactivate").status_code == 404


def test_roles_are_granted_and_revoked(client: Any, personas: dict, tree: Any) -> None:
    client.force_login(personas["community_secretary"])
    worker = personas["grid_worker"]
    granted = client.post(
        f"{STAFF_URL}/{worker.pk}/roles",
        {"role": "social_worker", "region": tree.community.pk},
        content_type="application/json",
    )
    assert granted.status_code == 201
    assignment_id = granted.json()["id"]
    assert client.delete(f"{STAFF_URL}/{worker.pk}/roles/{assignment_id}").status_code == 204
    assert not RoleAssignment.objects.get(pk=assignment_id).active


def test_deactivation_stops_sign_in(client: Any, personas: dict) -> None:
    client.force_login(personas["community_secretary"])
    worker = personas["grid_worker"]
    assert client.post(f"{STAFF_URL}/{worker.pk}/deactivate").json()["is_active"] is False
    client.logout()
    response = client.post(
        "/api/v1/auth/token", {"phone": worker.phone, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 401


def test_the_security_admin_sees_and_clears_a_lockout(client: Any, personas: dict) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/api/v1/auth/token",
            {"phone": personas["resident"].phone, "password": "Wrong-pass-123"},
            content_type="application/json",
        )
    client.force_login(personas["security_admin"])
    body = client.get("/api/v1/auth/lockouts").json()
    assert [item["phone_masked"] for item in body["items"]] == ["138****0001"]
    assert client.delete(f"/api/v1/auth/lockouts/{body['items'][0]['id']}").status_code == 204
    client.logout()
    response = client.post(
        "/api/v1/auth/token",
        {"phone": personas["resident"].phone, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["district_admin", "auditor", "outsider"])
def test_only_the_security_admin_sees_lockouts(client: Any, personas: dict, persona: str) -> None:
    client.force_login(personas[persona])
    assert client.get("/api/v1/auth/lockouts").status_code == 404
    assert client.get(reverse("accounts:lockout-list")).status_code == 404


# --- pages ------------------------------------------------------------------------------------
def test_the_staff_page_lists_staff_in_scope_with_masked_phones(client: Any, personas: dict) -> None:
    client.force_login(personas["community_secretary"])
    html = client.get(reverse("accounts:staff-list")).content.decode()
    assert "网格员" in html and "138****0002" in html
    assert "新林社工" not in html
    assert "13800000002" not in html


def test_the_staff_search_answers_htmx_with_the_table_only(client: Any, personas: dict) -> None:
    client.force_login(personas["community_secretary"])
    response = client.get(reverse("accounts:staff-list"), {"q": "网格"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<table" in html and "<html" not in html
    assert "网格员" in html and "社区工作者" not in html


@pytest.mark.parametrize("persona", ["outsider", "resident", "other_community_worker"])
def test_the_staff_pages_are_404_without_the_manage_permission(client: Any, personas: dict, persona: str) -> None:
    client.force_login(personas[persona])
    assert client.get(reverse("accounts:staff-list")).status_code == 404
    assert client.get(reverse("accounts:staff-create")).status_code == 404


def test_a_staff_detail_page_out_of_scope_is_404(client: Any, personas: dict) -> None:
    client.force_login(personas["community_secretary"])
    url = reverse("accounts:staff-detail", args=[personas["other_community_worker"].pk])
    assert client.get(url).status_code == 404


def test_the_create_page_offers_only_regions_in_scope(client: Any, personas: dict, tree: Any) -> None:
    client.force_login(personas["community_secretary"])
    html = client.get(reverse("accounts:staff-create")).content.decode()
    assert "翠竹园第一网格" in html
    assert "新林第一网格" not in html


def test_the_create_page_shows_the_separated_duties_message(client: Any, personas: dict, tree: Any) -> None:
    client.force_login(personas["system_admin"])
    response = client.post(
        reverse("accounts:staff-create"),
        {"phone": personas["auditor"].phone, "name": "x", "role": "security_admin", "region": tree.district.pk},
    )
    assert response.status_code == 200
    assert str(services.SEPARATED_DUTIES_CONFLICT) in response.content.decode()


def test_a_role_is_revoked_from_the_page_with_htmx(client: Any, personas: dict) -> None:
    client.force_login(personas["community_secretary"])
    worker = personas["grid_worker"]
    assignment = worker.role_assignments.get()
    response = client.post(
        reverse("accounts:role-revoke", args=[worker.pk, assignment.pk]), headers={"HX-Request": "true"}
    )
    assignment.refresh_from_db()
    assert not assignment.active
    assert response.status_code in (200, 302)


def test_the_admin_user_list_is_scoped_and_masked(client: Any, personas: dict) -> None:
    secretary = personas["community_secretary"]
    User.objects.filter(pk=secretary.pk).update(is_staff=True)
    client.force_login(secretary)
    html = client.get("/admin/accounts/user/").content.decode()
    assert "网格员" in html and "138****0002" in html
    assert "新林社工" not in html
    assert "13800000002" not in html


def test_the_admin_refuses_someone_without_the_manage_permission(client: Any, personas: dict) -> None:
    worker = personas["grid_worker"]
    User.objects.filter(pk=worker.pk).update(is_staff=True)
    client.force_login(worker)
    assert client.get("/admin/accounts/user/").status_code == 403
