from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from jishiyu.accounts import services
from jishiyu.accounts.models import OneTimeCode, User
from jishiyu.accounts.phones import INVALID_PHONE
from jishiyu.accounts.tests.helpers import last_code
from jishiyu.audit.models import AuditEntry

NEW_PASSWORD = "Fresh-pass-456"


def sign_in(client: Any, phone: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("accounts:login"), {"phone": phone, "password": password})


def test_a_resident_signs_in_with_phone_and_password(client: Any, personas: dict) -> None:
    response = sign_in(client, personas["resident"].phone)
    assert response.status_code == 302
    assert client.get("/api/v1/auth/me").json()["id"] == personas["resident"].pk


def test_a_wrong_password_shows_a_message_on_the_login_page(client: Any, personas: dict) -> None:
    response = sign_in(client, personas["resident"].phone, "Wrong-pass-123")
    assert response.status_code == 401
    assert str(services.WRONG_CREDENTIALS) in response.content.decode()


def test_the_login_page_says_the_account_is_locked(client: Any, personas: dict) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, personas["resident"].phone, "Wrong-pass-123")
    response = sign_in(client, personas["resident"].phone)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_up_end_to_end_reading_the_code_from_the_outbox(client: Any, db: Any) -> None:
    phone = "13912345678"
    assert client.post(reverse("accounts:signup"), {"phone": phone}).status_code == 302
    response = client.post(
        reverse("accounts:signup-verify"),
        {"code": last_code(phone), "name": "新居民", "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(phone=phone)
    assert user.name == "新居民"
    assert user.check_password(NEW_PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert not user.role_assignments.exists()


def test_sign_up_refuses_a_number_that_is_not_a_mainland_mobile(client: Any, db: Any) -> None:
    response = client.post(reverse("accounts:signup"), {"phone": "02584561234"})
    assert response.status_code == 200
    assert str(INVALID_PHONE) in response.content.decode()


def test_sign_up_refuses_a_wrong_code_and_creates_nothing(client: Any, db: Any) -> None:
    phone = "13912345678"
    client.post(reverse("accounts:signup"), {"phone": phone})
    wrong = "000000" if last_code(phone) != "000000" else "111111"
    response = client.post(
        reverse("accounts:signup-verify"),
        {"code": wrong, "name": "新居民", "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert str(services.CODE_INVALID) in response.content.decode()
    assert not User.objects.filter(phone=phone).exists()


def test_a_code_stops_working_after_too_many_wrong_attempts(db: Any) -> None:
    phone = "13912345678"
    services.otp_issue(phone=phone, purpose=OneTimeCode.Purpose.SIGNUP)
    code = last_code(phone)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(services.OTP_MAX_ATTEMPTS):
        with pytest.raises(services.DomainError):
            services.otp_verify(phone=phone, purpose=OneTimeCode.Purpose.SIGNUP, code=wrong)
    with pytest.raises(services.DomainError) as exc:
        services.otp_verify(phone=phone, purpose=OneTimeCode.Purpose.SIGNUP, code=code)
    assert exc.value.message == services.CODE_TOO_MANY


def test_an_expired_code_is_refused(db: Any) -> None:
    phone = "13912345678"
    services.otp_issue(phone=phone, purpose=OneTimeCode.Purpose.SIGNUP)
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.DomainError) as exc:
        services.otp_verify(phone=phone, purpose=OneTimeCode.Purpose.SIGNUP, code=last_code(phone))
    assert exc.value.message == services.CODE_EXPIRED


def test_a_second_code_within_a_minute_is_refused(db: Any) -> None:
    services.otp_issue(phone="13912345678", purpose=OneTimeCode.Purpose.SIGNUP)
    with pytest.raises(services.DomainError) as exc:
        services.otp_issue(phone="13912345678", purpose=OneTimeCode.Purpose.SIGNUP)
    assert exc.value.message == services.CODE_THROTTLED


def test_codes_are_stored_hashed(db: Any) -> None:
    services.otp_issue(phone="13912345678", purpose=OneTimeCode.Purpose.SIGNUP)
    record = OneTimeCode.objects.get()
    assert last_code("13912345678") not in record.code_hash
    assert "13912345678" not in record.phone_hash


def test_a_password_is_reset_by_sms_code(client: Any, personas: dict) -> None:
    user = personas["resident"]
    assert client.post(reverse("accounts:reset"), {"phone": user.phone}).status_code == 302
    response = client.post(
        reverse("accounts:reset-verify"),
        {"code": last_code(user.phone), "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_reset_for_an_unknown_number_sends_nothing_but_looks_the_same(client: Any, db: Any) -> None:
    response = client.post(reverse("accounts:reset"), {"phone": "13912345678"})
    assert response.status_code == 302
    assert not OneTimeCode.objects.exists()


def test_a_password_change_refuses_a_recent_password(client: Any, personas: dict) -> None:
    user = personas["resident"]
    client.force_login(user)
    url = reverse("accounts:password-change")
    data = {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(url, data).status_code == 302
    back = {"old_password": NEW_PASSWORD, "new_password": PASSWORD, "new_password2": PASSWORD}
    response = client.post(url, back)
    assert response.status_code == 200
    assert "new_password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_password_history_refusal_names_the_rule(personas: dict) -> None:
    user = personas["resident"]
    services.user_change_password(actor=user, old_password=PASSWORD, new_password=NEW_PASSWORD)
    with pytest.raises(services.DomainError) as exc:
        services.user_change_password(actor=user, old_password=NEW_PASSWORD, new_password=PASSWORD)
    assert exc.value.code == "password_reused"
    assert exc.value.field == "new_password"


def test_a_password_change_refuses_a_simple_password(personas: dict) -> None:
    with pytest.raises(services.ValidationFailed) as exc:
        services.user_change_password(actor=personas["resident"], old_password=PASSWORD, new_password="abcdefgh")
    assert "new_password" in exc.value.errors


def test_staff_with_an_old_password_must_change_it(client: Any, personas: dict) -> None:
    user = personas["grid_worker"]
    days = settings.SECURITY_POLICY["password_max_age_days"]
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=days + 1))
    response = sign_in(client, user.phone)
    assert response.url == reverse("accounts:password-change")
    assert client.get(reverse("notifications:inbox")).url == reverse("accounts:password-change")


def test_a_resident_with_an_old_password_is_not_forced(client: Any, personas: dict) -> None:
    user = personas["resident"]
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=1000))
    response = sign_in(client, user.phone)
    assert response.url != reverse("accounts:password-change")


def test_with_the_second_factor_on_staff_sign_in_asks_for_the_sms_code(
    client: Any, personas: dict, settings: Any
) -> None:
    settings.SECURITY_POLICY = {**settings.SECURITY_POLICY, "staff_second_factor": True}
    user = personas["community_worker"]
    response = sign_in(client, user.phone)
    assert response.url == reverse("accounts:login-code")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("accounts:login-code"), {"code": last_code(user.phone)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_with_the_second_factor_off_staff_sign_in_directly(client: Any, personas: dict) -> None:
    response = sign_in(client, personas["community_worker"].phone)
    assert response.url != reverse("accounts:login-code")
    assert int(client.session["_auth_user_id"]) == personas["community_worker"].pk


def test_a_page_sign_in_is_audited(client: Any, personas: dict) -> None:
    sign_in(client, personas["resident"].phone)
    assert AuditEntry.objects.filter(action="login", actor=personas["resident"]).exists()


@pytest.mark.parametrize("name", ["accounts:login", "accounts:signup", "accounts:reset"])
def test_the_public_account_pages_render_with_a_phone_field(client: Any, db: Any, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'name="phone"' in response.content.decode()


def test_a_password_older_than_the_history_may_be_used_again(personas: dict, settings: Any) -> None:
    settings.SECURITY_POLICY = {**settings.SECURITY_POLICY, "password_history": 2}
    user = personas["resident"]
    services.user_change_password(actor=user, old_password=PASSWORD, new_password="Second-pass-1")
    services.user_change_password(actor=user, old_password="Second-pass-1", new_password="Third-pass-1")
    services.user_change_password(actor=user, old_password="Third-pass-1", new_password=PASSWORD)
    assert user.check_password(PASSWORD)
