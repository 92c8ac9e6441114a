from __future__ import annotations

import logging
from typing import Any

import pytest
from django.conf import settings

from conftest import PASSWORD
from jishiyu.accounts.models import ApiToken
from jishiyu.accounts.tests.helpers import last_code
from jishiyu.audit.models import AuditEntry

TOKEN_URL = "/api/v1/auth/token"


def post_token(client: Any, phone: str, password: str, **extra: Any) -> Any:
    return client.post(TOKEN_URL, {"phone": phone, "password": password, **extra}, content_type="application/json")


@pytest.mark.parametrize(
    "persona",
    [
        "resident",
        "grid_worker",
        "community_worker",
        "social_worker",
        "community_secretary",
        "street_dispatcher",
        "street_official",
        "district_admin",
        "department_handler",
        "organisation_member",
        "auditor",
        "system_admin",
        "security_admin",
        "other_community_worker",
        "outsider",
    ],
)
def test_every_persona_gets_a_token_that_opens_the_api(client: Any, personas: dict, persona: str) -> None:
    user = personas[persona]
    response = post_token(client, user.phone, PASSWORD)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["expires_at"]
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["id"] == user.pk


def test_only_the_hash_of_a_token_is_stored(client: Any, personas: dict) -> None:
    token = post_token(client, personas["resident"].phone, PASSWORD).json()["token"]
    stored = ApiToken.objects.get(user=personas["resident"])
    assert stored.key_hash != token
    assert len(stored.key_hash) == 64


def test_me_shows_the_masked_phone_and_roles_with_their_region(client: Any, personas: dict, tree: Any) -> None:
    client.force_login(personas["community_worker"])
    body = client.get("/api/v1/auth/me").json()
    assert body["phone_masked"] == "138****0003"
    assert "13800000003" not in str(body)
    assert body["roles"][0]["role"] == "community_worker"
    assert body["roles"][0]["region"] == {"id": tree.community.pk, "name": "翠竹园社区"}


def test_a_wrong_password_gets_401_problem_details(client: Any, personas: dict) -> None:
    response = post_token(client, personas["resident"].phone, "Wrong-pass-123")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_credentials"


def test_the_error_is_in_the_users_language(client: Any, personas: dict) -> None:
    body = {"phone": personas["resident"].phone, "password": "nope"}
    en = client.post(TOKEN_URL, body, content_type="application/json", headers={"Accept-Language": "en"})
    zh = client.post(TOKEN_URL, body, content_type="application/json", headers={"Accept-Language": "zh-hans"})
    assert en.json()["title"] == "Wrong mobile number or password."
    assert zh.json()["title"] == "手机号或密码错误。"


def test_an_unknown_phone_gets_the_same_401(client: Any, personas: dict) -> None:
    response = post_token(client, "13900000000", PASSWORD)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_a_missing_field_is_named(client: Any, db: Any) -> None:
    response = client.post(TOKEN_URL, {"phone": "13800000001"}, content_type="application/json")
    assert response.status_code == 422
    assert "password" in response.json()["errors"]


def test_after_n_failures_even_the_right_password_gets_429(client: Any, personas: dict) -> None:
    phone = personas["resident"].phone
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_token(client, phone, "Wrong-pass-123").status_code == 401
    post_token(client, phone, "Wrong-pass-123")
    response = post_token(client, phone, PASSWORD)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"


def test_the_lockout_is_per_account(client: Any, personas: dict) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_token(client, personas["resident"].phone, "Wrong-pass-123")
    assert post_token(client, personas["grid_worker"].phone, PASSWORD).status_code == 200


def test_failed_sign_ins_are_audited_with_the_masked_phone(client: Any, personas: dict) -> None:
    post_token(client, personas["resident"].phone, "Wrong-pass-123")
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.object_label == "138****0001"
    assert not AuditEntry.objects.filter(object_label__contains="13800000001").exists()


def test_a_sign_in_is_audited(client: Any, personas: dict) -> None:
    post_token(client, personas["resident"].phone, PASSWORD)
    entry = AuditEntry.objects.get(action="login")
    assert entry.actor == personas["resident"]
    assert entry.object_label == "138****0001"


def test_logs_never_hold_a_plain_phone(client: Any, personas: dict, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    phone = personas["resident"].phone
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        post_token(client, phone, "Wrong-pass-123")
    post_token(client, personas["grid_worker"].phone, PASSWORD)
    assert caplog.records, "expected some log output to check"
    for record in caplog.records:
        assert phone not in record.getMessage()
        assert personas["grid_worker"].phone not in record.getMessage()


def test_a_revoked_token_no_longer_works(client: Any, personas: dict) -> None:
    token = post_token(client, personas["resident"].phone, PASSWORD).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.delete(TOKEN_URL, headers=auth).status_code == 204
    assert client.get("/api/v1/auth/me", headers=auth).status_code == 401


def test_without_a_token_me_is_401(client: Any, db: Any) -> None:
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_deactivated_account_cannot_get_a_token(client: Any, personas: dict) -> None:
    user = personas["resident"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert post_token(client, user.phone, PASSWORD).status_code == 401


def test_with_the_second_factor_on_staff_need_the_sms_code(client: Any, personas: dict, settings: Any) -> None:
    settings.SECURITY_POLICY = {**settings.SECURITY_POLICY, "staff_second_factor": True}
    user = personas["grid_worker"]
    first = post_token(client, user.phone, PASSWORD)
    assert first.status_code == 401
    assert first.json()["code"] == "second_factor_required"
    assert "code" in first.json()["errors"]
    second = post_token(client, user.phone, PASSWORD, code=last_code(user.phone))
    assert second.status_code == 200


def test_with_the_second_factor_on_a_wrong_code_is_refused(client: Any, personas: dict, settings: Any) -> None:
    settings.SECURITY_POLICY = {**settings.SECURITY_POLICY, "staff_second_factor": True}
    user = personas["grid_worker"]
    post_token(client, user.phone, PASSWORD)
    wrong = "000000" if last_code(user.phone) != "000000" else "111111"
    response = post_token(client, user.phone, PASSWORD, code=wrong)
    assert response.status_code == 400
    assert "code" in response.json()["errors"]


def test_with_the_second_factor_on_residents_need_no_code(client: Any, personas: dict, settings: Any) -> None:
    settings.SECURITY_POLICY = {**settings.SECURITY_POLICY, "staff_second_factor": True}
    assert post_token(client, personas["resident"].phone, PASSWORD).status_code == 200


def test_with_the_second_factor_off_staff_need_no_code(client: Any, personas: dict) -> None:
    assert settings.SECURITY_POLICY["staff_second_factor"] is False
    assert post_token(client, personas["grid_worker"].phone, PASSWORD).status_code == 200


@pytest.mark.parametrize(("method", "url"), [("post", "/api/v1/people"), ("patch", "/api/v1/people/1")])
def test_a_write_with_a_wrong_bearer_token_is_401_not_a_csrf_refusal(db: Any, method: str, url: str) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(
        url, {"name": "张三"}, content_type="application/json", HTTP_AUTHORIZATION="Bearer not-a-token"
    )
    assert response.status_code == 401
    assert "CSRF" not in response.content.decode()


def test_a_session_write_without_its_csrf_token_is_still_refused(personas: dict) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["community_worker"])
    response = client.post("/api/v1/people", {"name": "张三"}, content_type="application/json")
    assert response.status_code == 403
