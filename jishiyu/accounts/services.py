"""Account services (账号): the only place that writes users, role assignments, tokens, one-time
codes and passwords. Pages and the API both call these."""

from __future__ import annotations

import contextlib
import hmac
import logging
import secrets
from datetime import timedelta
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jishiyu.accounts.api_auth import token_hash
from jishiyu.accounts.lockout import LOCKED_OUT, locked_message
from jishiyu.accounts.models import ApiToken, OneTimeCode, PasswordHistory, RoleAssignment, User
from jishiyu.accounts.permissions import MANAGE, SECURITY
from jishiyu.accounts.phones import normalise_phone
from jishiyu.accounts.roles import SEPARATED_DUTIES, STAFF_ROLES, Role, grantable_by, permissions_of
from jishiyu.accounts.selectors import lockout_get, staff_get
from jishiyu.audit.services import audit_record
from jishiyu.core.crypto import keyed_hash
from jishiyu.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from jishiyu.core.masking import mask_phone
from jishiyu.core.scope import path_in_scope
from jishiyu.core.text import name_error
from jishiyu.notifications.services import notification_send
from jishiyu.notifications.sms import send_sms
from jishiyu.regions.models import Region

log = logging.getLogger(__name__)

UNKNOWN_LANGUAGE = "unknown_language"

OTP_MAX_ATTEMPTS = 5
OTP_RESEND_SECONDS = getattr(settings, "OTP_RESEND_SECONDS", 60)

# Error messages (tests import them).
WRONG_CREDENTIALS = _("Wrong mobile number or password.")
CODE_INVALID = _("The code is wrong. Check the SMS and try again.")
CODE_EXPIRED = _("The code has expired or was not sent to this number: ask for a new one.")
CODE_TOO_MANY = _("Too many wrong codes: ask for a new one.")
CODE_THROTTLED = _("A code was sent less than a minute ago: wait before asking for another.")
CODE_REQUIRED = _("Enter the code we sent by SMS.")
PHONE_TAKEN = _("This mobile number already has an account: sign in, or reset the password.")
PASSWORD_REUSED = _("You used this password recently: choose one you have not used for your last %(n)d passwords.")
PASSWORD_WRONG = _("Your current password is wrong.")
PASSWORD_EXPIRED = _("Your password has expired: change it before you continue.")
NAME_REQUIRED = _("Enter a name.")
REGION_OUT_OF_SCOPE = _("Choose a region within your scope.")
ROLE_NOT_GRANTABLE = _("You may not grant this role here.")
ROLE_UNKNOWN = _("Not one of the allowed values.")
SEPARATED_DUTIES_CONFLICT = _(
    "Separated duties: a system admin, security admin or auditor holds no other role, and no one else holds theirs."
)
NO_SELF_GRANT = _("No one grants a role to themselves: ask another admin.")
ALREADY_HELD = _("This person already holds this role here.")
CANNOT_DEACTIVATE_SELF = _("You cannot deactivate your own account.")
OUTSIDE_SCOPE_ROLES = _("This person also holds roles outside your scope: ask an admin above you.")


class InvalidCredentials(DomainError):
    """Wrong phone or password (401)."""

    status = 401
    code = "invalid_credentials"


class AccountLocked(DomainError):
    """Too many failures: the account is locked for a while (429)."""

    status = 429
    code = LOCKED_OUT


class SecondFactorRequired(DomainError):
    """The password was right; the staff second factor (an SMS code) is still needed (401)."""

    status = 401
    code = "second_factor_required"


class PasswordExpired(DomainError):
    status = 403
    code = "password_expired"


# --- preferences ------------------------------------------------------------------------------
@transaction.atomic
def user_set_preferences(*, actor: User, elder_mode: bool | None = None, language: str | None = None) -> User:
    """设置个人偏好: elder-friendly display and language."""
    fields: list[str] = []
    if elder_mode is not None:
        actor.elder_mode = elder_mode
        fields.append("elder_mode")
    if language is not None:
        if language and language not in dict(settings.LANGUAGES):
            raise DomainError(_("Unknown language."), field="language", code=UNKNOWN_LANGUAGE)
        actor.language = language
        fields.append("language")
    if fields:
        actor.save(update_fields=fields)
    return actor


# --- one-time SMS codes -----------------------------------------------------------------------
def _code_hash(phone: str, purpose: str, code: str) -> str:
    return keyed_hash(f"otp:{purpose}:{phone}:{code}")


def otp_issue(*, phone: str, purpose: str) -> None:
    """发送短信验证码: a 6-digit code, stored hashed, valid settings.OTP_TTL_SECONDS; one per minute."""
    now = timezone.now()
    phone_hash = OneTimeCode.hash_phone(phone)
    recent = OneTimeCode.objects.filter(
        phone_hash=phone_hash, purpose=purpose, created_at__gt=now - timedelta(seconds=OTP_RESEND_SECONDS)
    )
    if recent.exists():
        raise DomainError(CODE_THROTTLED, field="phone", code="otp_throttled")
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        OneTimeCode.objects.filter(phone_hash=phone_hash, purpose=purpose, used_at__isnull=True).update(used_at=now)
        record = OneTimeCode(
            purpose=purpose,
            code_hash=_code_hash(phone, purpose, code),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS),
        )
        record.set_phone(phone)
        record.save()
    minutes = max(1, settings.OTP_TTL_SECONDS // 60)
    text = gettext("[Jishiyu] Your code is %(code)s, valid for %(minutes)d minutes. Do not share it.") % {
        "code": code,
        "minutes": minutes,
    }
    send_sms(phone, text)
    log.info("one-time code (%s) sent to %s", purpose, mask_phone(phone))


def otp_verify(*, phone: str, purpose: str, code: str, field: str = "code") -> OneTimeCode:
    """核验验证码 and spend it. Not atomic on purpose: a wrong attempt must stay counted."""
    now = timezone.now()
    code = (code or "").strip()
    if not code:
        raise DomainError(CODE_REQUIRED, field=field, code="code_required")
    record = (
        OneTimeCode.objects.filter(
            phone_hash=OneTimeCode.hash_phone(phone), purpose=purpose, used_at__isnull=True, expires_at__gt=now
        )
        .order_by("-created_at")
        .first()
    )
    if record is None:
        raise DomainError(CODE_EXPIRED, field=field, code="code_expired")
    if record.attempts >= OTP_MAX_ATTEMPTS:
        raise DomainError(CODE_TOO_MANY, field=field, code="code_too_many")
    if not hmac.compare_digest(record.code_hash, _code_hash(phone, purpose, code)):
        OneTimeCode.objects.filter(pk=record.pk).update(attempts=record.attempts + 1)
        if record.attempts + 1 >= OTP_MAX_ATTEMPTS:
            raise DomainError(CODE_TOO_MANY, field=field, code="code_too_many")
        raise DomainError(CODE_INVALID, field=field, code="code_invalid")
    if not OneTimeCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=now):
        raise DomainError(CODE_EXPIRED, field=field, code="code_expired")
    return record


# --- passwords --------------------------------------------------------------------------------
def _check_new_password(user: User, raw: str, *, field: str) -> None:
    try:
        validate_password(raw, user)
    except ValidationError as exc:
        raise ValidationFailed({field: list(exc.messages)}) from None
    n = settings.SECURITY_POLICY["password_history"]
    if n <= 0 or user.pk is None:
        return
    # The current password plus the n - 1 before it: the last n passwords.
    earlier = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: max(n - 1, 0)])
    if user.has_usable_password() and user.password:
        earlier.append(user.password)
    if any(check_password(raw, encoded) for encoded in earlier):
        raise DomainError(PASSWORD_REUSED % {"n": n}, field=field, code="password_reused")


def _set_password(user: User, raw: str) -> None:
    """Set the password and keep the previous hash in the history (never the plain text)."""
    if user.pk is not None and user.has_usable_password() and user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(raw)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    keep = max(settings.SECURITY_POLICY["password_history"], 1)
    old = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(old)).delete()


def password_expired(user: User) -> bool:
    """Staff passwords older than SECURITY_POLICY["password_max_age_days"] must be changed (等保2.0)."""
    days = settings.SECURITY_POLICY["password_max_age_days"]
    if not days or not user.is_staff_member or not user.has_usable_password():
        return False
    changed = user.password_changed_at or user.date_joined
    return timezone.now() - changed > timedelta(days=days)


@transaction.atomic
def user_change_password(*, actor: User, old_password: str, new_password: str) -> User:
    """修改密码: honours the password rules and history."""
    if not actor.check_password(old_password or ""):
        raise DomainError(PASSWORD_WRONG, field="old_password", code="password_wrong")
    _check_new_password(actor, new_password, field="new_password")
    _set_password(actor, new_password)
    audit_record(action="update", obj=actor, object_label=actor.masked_phone, changes={"password": ["***", "***"]})
    return actor


def signup_request_code(*, phone: str) -> str:
    """注册第一步: check the number and send a code. Returns the normalised number."""
    phone = normalise_phone(phone)
    if User.objects.filter(phone=phone).exists():
        raise DomainError(PHONE_TAKEN, field="phone", code="phone_taken")
    otp_issue(phone=phone, purpose=OneTimeCode.Purpose.SIGNUP)
    return phone


def user_signup(*, phone: str, code: str, name: str, password: str) -> User:
    """居民注册: mobile number + SMS code, then name and password. No role until staff verify them."""
    phone = normalise_phone(phone)
    name = (name or "").strip()
    if not name:
        raise DomainError(NAME_REQUIRED, field="name", code="required")
    if problem := name_error(name):
        raise DomainError(problem, field="name", code="invalid")
    probe = User(phone=phone, name=name)
    _check_new_password(probe, password, field="password")
    if User.objects.filter(phone=phone).exists():
        raise DomainError(PHONE_TAKEN, field="phone", code="phone_taken")
    otp_verify(phone=phone, purpose=OneTimeCode.Purpose.SIGNUP, code=code)
    try:
        with transaction.atomic():
            user = User.objects.create_user(phone=phone, password=None, name=name[:50])
            _set_password(user, password)
            audit_record(action="create", obj=user, actor=user, object_label=user.masked_phone)
    except IntegrityError:
        raise DomainError(PHONE_TAKEN, field="phone", code="phone_taken") from None
    return user


def reset_request_code(*, phone: str) -> str:
    """找回密码第一步: a code goes only to a number with an account; the answer is the same either way."""
    phone = normalise_phone(phone)
    if User.objects.filter(phone=phone, is_active=True).exists():
        otp_issue(phone=phone, purpose=OneTimeCode.Purpose.RESET)
    return phone


def user_reset_password(*, phone: str, code: str, password: str) -> User:
    """短信重置密码: also lifts a lockout and revokes API tokens."""
    phone = normalise_phone(phone)
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        raise DomainError(CODE_EXPIRED, field="code", code="code_expired")
    _check_new_password(user, password, field="password")
    otp_verify(phone=phone, purpose=OneTimeCode.Purpose.RESET, code=code)
    with transaction.atomic():
        _set_password(user, password)
        ApiToken.objects.filter(user=user).delete()
        audit_record(
            action="update", obj=user, actor=user, object_label=user.masked_phone, changes={"password": ["***", "***"]}
        )
    axes_reset(username=phone)
    return user


# --- signing in -------------------------------------------------------------------------------
def second_factor_required(user: User) -> bool:
    return bool(settings.SECURITY_POLICY["staff_second_factor"]) and user.is_staff_member


def login_check(*, request: HttpRequest, phone: str, password: str) -> User:
    """核验手机号与密码 through django-axes, so failures count toward the per-account lockout."""
    raw = (phone or "").strip()
    try:
        phone = normalise_phone(raw)
    except DomainError:
        phone = raw
    user = authenticate(request=request, phone=phone, password=password or "")
    locked = bool(getattr(request, "axes_locked_out", False))
    if user is None or locked:
        audit_record(
            action="login_failed",
            actor=None,
            object_type="accounts.user",
            object_label=mask_phone(phone),
            outcome="locked" if locked else "failed",
        )
        log.info("failed sign-in for %s", mask_phone(phone))
        if locked:
            raise AccountLocked(locked_message())
        raise InvalidCredentials(WRONG_CREDENTIALS)
    return user


def second_factor_send(*, user: User) -> None:
    """发送登录验证码 to a staff member; a code sent within the last minute stays valid."""
    with contextlib.suppress(DomainError):
        otp_issue(phone=user.phone, purpose=OneTimeCode.Purpose.SECOND_FACTOR)


def second_factor_verify(*, user: User, code: str) -> None:
    otp_verify(phone=user.phone, purpose=OneTimeCode.Purpose.SECOND_FACTOR, code=code)


def login_record(*, request: HttpRequest, user: User) -> None:
    """Audit a completed sign-in (the session login sends user_logged_in itself)."""
    audit_record(action="login", actor=user, obj=user, object_label=user.masked_phone)


def token_issue(*, request: HttpRequest, phone: str, password: str, code: str | None = None) -> tuple[str, ApiToken]:
    """签发 API 令牌: phone + password (+ SMS code for staff when the second factor is on)."""
    user = login_check(request=request, phone=phone, password=password)
    if second_factor_required(user):
        if not code:
            second_factor_send(user=user)
            raise SecondFactorRequired(
                _("Enter the code sent by SMS to %(phone)s.") % {"phone": user.masked_phone}, field="code"
            )
        second_factor_verify(user=user, code=code)
    if password_expired(user):
        raise PasswordExpired(PASSWORD_EXPIRED, field="password")
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        key_hash=token_hash(raw),
        created_at=now,
        expires_at=now + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    # Axes resets the failure count and Django stamps last_login on this signal.
    user_logged_in.send(sender=User, request=request, user=user)
    login_record(request=request, user=user)
    return raw, token


def token_revoke(*, actor: User, raw: str) -> None:
    """吊销 API 令牌 (only the actor's own)."""
    deleted, _count = ApiToken.objects.filter(user=actor, key_hash=token_hash(raw)).delete()
    if not deleted:
        raise NotFound()


# --- staff accounts (scoped to the actor's subtree) -------------------------------------------
def _manage_assignments(actor: User) -> list[RoleAssignment]:
    return [a for a in actor._assignments() if MANAGE in permissions_of(a.role)]


def grantable_roles(actor: User) -> list[str]:
    """Roles the actor may grant somewhere in their scope, in the Role order."""
    allowed: set[str] = set()
    for a in _manage_assignments(actor):
        allowed |= grantable_by(a.role)
    return [r for r in Role.values if r in allowed]


def _can_grant(actor: User, role: str, region: Region) -> bool:
    return any(
        role in grantable_by(a.role) and path_in_scope(region.path, [a.region.path]) for a in _manage_assignments(actor)
    )


def _region_in_scope(actor: User, region_id: Any) -> Region:
    paths = actor.region_paths_for(MANAGE)
    try:
        region = Region.objects.get(pk=int(region_id))
    except (Region.DoesNotExist, TypeError, ValueError):
        raise DomainError(REGION_OUT_OF_SCOPE, field="region", code="region_out_of_scope") from None
    if not path_in_scope(region.path, paths):
        raise DomainError(REGION_OUT_OF_SCOPE, field="region", code="region_out_of_scope")
    return region


def _check_separated_duties(actor: User, user: User | None, role: str) -> None:
    """三员分立 (GB/T 22239-2019): the system admin, the security admin and the auditor hold no other staff
    role (a resident account of their own is fine: it grants no region's records), no one holds two of
    them, and no one grants anything to themselves."""
    if user is None or user.pk is None:
        return
    if user.pk == actor.pk:
        raise DomainError(NO_SELF_GRANT, field="role", code="self_grant")
    if role == Role.RESIDENT:
        return
    held = set(
        RoleAssignment.objects.filter(user=user, active=True)
        .exclude(role__in=[Role.RESIDENT, role])
        .values_list("role", flat=True)
    )
    if held and (role in SEPARATED_DUTIES or held & SEPARATED_DUTIES):
        raise DomainError(SEPARATED_DUTIES_CONFLICT, field="role", code="separated_duties")


def _grant(*, actor: User, user: User, role: str, region: Region, department_id: Any = None) -> RoleAssignment:
    if role not in Role.values:
        raise DomainError(ROLE_UNKNOWN, field="role", code="invalid")
    if not _can_grant(actor, role, region):
        raise DomainError(ROLE_NOT_GRANTABLE, field="role", code="role_not_grantable")
    _check_separated_duties(actor, user, role)
    assignment = RoleAssignment.objects.filter(user=user, role=role, region=region).first()
    if assignment is not None and assignment.active:
        raise DomainError(ALREADY_HELD, field="role", code="already_held")
    if assignment is None:
        assignment = RoleAssignment.objects.create(
            user=user, role=role, region=region, department_id=department_id or None, granted_by=actor
        )
    else:
        assignment.active = True
        assignment.granted_by = actor
        assignment.granted_at = timezone.now()
        assignment.department_id = department_id or None
        assignment.save(update_fields=["active", "granted_by", "granted_at", "department"])
    user.clear_scope_cache()
    audit_record(
        action="create",
        obj=assignment,
        object_label=f"{user.masked_phone} {role}",
        changes={"role": [None, role], "region": [None, region.name]},
    )
    return assignment


@transaction.atomic
def staff_create(*, actor: User, phone: str, name: str, role: str, region_id: Any, department_id: Any = None) -> User:
    """创建工作人员账号 within the actor's scope; an existing account (e.g. a resident) gets the role."""
    require_manage(actor)
    errors: dict[str, list[Any]] = {}
    try:
        phone = normalise_phone(phone)
    except DomainError as exc:
        errors["phone"] = [exc.message]
    name = (name or "").strip()
    if not name:
        errors["name"] = [NAME_REQUIRED]
    elif name_error(name):
        errors["name"] = [name_error(name)]
    region: Region | None = None
    try:
        region = _region_in_scope(actor, region_id)
    except DomainError as exc:
        errors["region"] = [exc.message]
    if role not in Role.values or role == Role.RESIDENT:
        errors["role"] = [ROLE_UNKNOWN]
    if errors:
        raise ValidationFailed(errors)
    assert region is not None
    user = User.objects.filter(phone=phone).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(phone=phone, password=None, name=name[:50])
        audit_record(action="create", obj=user, object_label=user.masked_phone, changes={"name": [None, user.name]})
    _grant(actor=actor, user=user, role=role, region=region, department_id=department_id)
    if created:
        notification_send(
            user=user,
            title=_("Your Jishiyu staff account is ready"),
            body=_("Set your password with “Forgot password” on the sign-in page, using this mobile number."),
            sms=True,
        )
    return user


@transaction.atomic
def role_grant(*, actor: User, user_id: Any, role: str, region_id: Any, department_id: Any = None) -> RoleAssignment:
    """授予角色 to a staff member in the actor's scope."""
    user = staff_get(actor=actor, user_id=user_id)
    region = _region_in_scope(actor, region_id)
    return _grant(actor=actor, user=user, role=role, region=region, department_id=department_id)


@transaction.atomic
def role_revoke(*, actor: User, user_id: Any, assignment_id: Any) -> RoleAssignment:
    """撤销角色: only one the actor could have granted."""
    user = staff_get(actor=actor, user_id=user_id)
    try:
        assignment = RoleAssignment.objects.select_related("region").get(pk=assignment_id, user=user, active=True)
    except (RoleAssignment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if not _can_grant(actor, assignment.role, assignment.region):
        raise PermissionDenied(ROLE_NOT_GRANTABLE)
    assignment.active = False
    assignment.save(update_fields=["active"])
    user.clear_scope_cache()
    audit_record(
        action="delete",
        obj=assignment,
        object_label=f"{user.masked_phone} {assignment.role}",
        changes={"role": [assignment.role, None]},
    )
    return assignment


@transaction.atomic
def staff_deactivate(*, actor: User, user_id: Any) -> User:
    """停用工作人员账号: every role they hold must lie within what the actor may grant."""
    user = staff_get(actor=actor, user_id=user_id)
    if user.pk == actor.pk:
        raise DomainError(CANNOT_DEACTIVATE_SELF, code="self")
    for a in user.role_assignments.select_related("region").filter(active=True, role__in=list(STAFF_ROLES)):
        if not _can_grant(actor, a.role, a.region):
            raise PermissionDenied(OUTSIDE_SCOPE_ROLES)
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user).delete()
    audit_record(action="update", obj=user, object_label=user.masked_phone, changes={"is_active": [True, False]})
    return user


@transaction.atomic
def lockout_clear(*, actor: User, attempt_id: Any) -> None:
    """解除锁定 (security admin): the axes attempts of that account are reset."""
    attempt = lockout_get(actor=actor, attempt_id=attempt_id)
    username = attempt.username or ""
    axes_reset(username=username)
    audit_record(
        action="update",
        object_type="accounts.user",
        object_label=mask_phone(username),
        changes={"locked": [True, False]},
    )


def require_manage(actor: User) -> None:
    if not actor.has_perm_anywhere(MANAGE):
        raise PermissionDenied()


def require_security(actor: User) -> None:
    if not actor.has_perm_anywhere(SECURITY):
        raise NotFound()


TOKEN_HEADER_MISSING = _("Send the token to revoke in the Authorization header.")
