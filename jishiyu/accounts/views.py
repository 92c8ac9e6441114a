"""Account pages: sign-in, sign-up, password reset and change, staff management (thin views)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jishiyu.accounts import selectors, services
from jishiyu.accounts.forms import (
    CodeForm,
    LoginForm,
    PasswordChangeForm,
    PhoneForm,
    ResetForm,
    RoleGrantForm,
    SignupForm,
    StaffCreateForm,
    apply_domain_error,
)
from jishiyu.accounts.middleware import PasswordExpiryMiddleware
from jishiyu.accounts.models import User
from jishiyu.accounts.permissions import MANAGE, SECURITY
from jishiyu.core.errors import DomainError, NotFound, PermissionDenied
from jishiyu.core.masking import mask_phone
from jishiyu.core.scope import holds_anywhere

PENDING_2FA = "_pending_2fa_user"
PENDING_NEXT = "_pending_next"
SIGNUP_PHONE = "_signup_phone"
RESET_PHONE = "_reset_phone"
PASSWORD_EXPIRED_FLAG = PasswordExpiryMiddleware.FLAG
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _complete_login(request: HttpRequest, user: User, next_url: str | None) -> HttpResponse:
    login(request, user, backend=BACKEND)
    services.login_record(request=request, user=user)
    if services.password_expired(user):
        request.session[PASSWORD_EXPIRED_FLAG] = True
        messages.warning(request, str(services.PASSWORD_EXPIRED))
        return redirect("accounts:password-change")
    return HttpResponseRedirect(_next_url(request, next_url))


def login_view(request: HttpRequest) -> HttpResponse:
    """登录: mobile number and password (and an SMS code for staff when the second factor is on)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check(
                request=request, phone=form.cleaned_data["phone"], password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = exc.status
        else:
            if services.second_factor_required(user):
                services.second_factor_send(user=user)
                request.session[PENDING_2FA] = user.pk
                request.session[PENDING_NEXT] = next_url
                return redirect("accounts:login-code")
            return _complete_login(request, user, next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


def login_code_view(request: HttpRequest) -> HttpResponse:
    """登录第二步: the SMS code for staff."""
    pending = request.session.get(PENDING_2FA)
    user = User.objects.filter(pk=pending, is_active=True).first() if isinstance(pending, int) else None
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            next_url = request.session.pop(PENDING_NEXT, "")
            request.session.pop(PENDING_2FA, None)
            return _complete_login(request, user, next_url)
    return render(request, "accounts/login_code.html", {"form": form, "masked_phone": user.masked_phone})


def signup_view(request: HttpRequest) -> HttpResponse:
    """居民注册第一步: the mobile number; a code goes by SMS."""
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone = services.signup_request_code(phone=form.cleaned_data["phone"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            request.session[SIGNUP_PHONE] = phone
            return redirect("accounts:signup-verify")
    return render(request, "accounts/signup.html", {"form": form})


def signup_verify_view(request: HttpRequest) -> HttpResponse:
    """居民注册第二步: code, name and password."""
    phone = request.session.get(SIGNUP_PHONE)
    if not phone:
        return redirect("accounts:signup")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_signup(phone=phone, code=data["code"], name=data["name"], password=data["password"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            request.session.pop(SIGNUP_PHONE, None)
            login(request, user, backend=BACKEND)
            services.login_record(request=request, user=user)
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup_verify.html", {"form": form, "masked_phone": mask_phone(phone)})


def reset_view(request: HttpRequest) -> HttpResponse:
    """找回密码第一步: the mobile number."""
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone = services.reset_request_code(phone=form.cleaned_data["phone"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            request.session[RESET_PHONE] = phone
            return redirect("accounts:reset-verify")
    return render(request, "accounts/reset.html", {"form": form})


def reset_verify_view(request: HttpRequest) -> HttpResponse:
    """找回密码第二步: the code and a new password."""
    phone = request.session.get(RESET_PHONE)
    if not phone:
        return redirect("accounts:reset")
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_reset_password(
                phone=phone, code=form.cleaned_data["code"], password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            request.session.pop(RESET_PHONE, None)
            messages.success(request, _("Your password was changed: sign in with the new one."))
            return redirect("accounts:login")
    return render(request, "accounts/reset_verify.html", {"form": form, "masked_phone": mask_phone(phone)})


@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    """修改密码."""
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_password(
                actor=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            login(request, user, backend=BACKEND)  # keeps the session valid after the hash changed
            request.session.pop(PASSWORD_EXPIRED_FLAG, None)
            messages.success(request, _("Your password was changed."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/password_change.html", {"form": form})


# --- staff management -------------------------------------------------------------------------
def _manager(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not holds_anywhere(user, MANAGE):
        raise Http404
    return user


@login_required
def staff_list_view(request: HttpRequest) -> HttpResponse:
    """工作人员列表 (htmx: the table alone when searching)."""
    actor = _manager(request)
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.staff_list(actor=actor, search=search), 50).get_page(request.GET.get("page"))
    context = {"page": page, "q": search}
    if getattr(request, "htmx", False):
        return render(request, "accounts/partials/staff_table.html", context)
    return render(request, "accounts/staff_list.html", context)


@login_required
def staff_create_view(request: HttpRequest) -> HttpResponse:
    """新建工作人员账号."""
    actor = _manager(request)
    form = StaffCreateForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.staff_create(
                actor=actor, phone=data["phone"], name=data["name"], role=data["role"], region_id=data["region"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Staff account saved."))
            return redirect("accounts:staff-detail", user_id=user.pk)
    return render(request, "accounts/staff_create.html", {"form": form})


def _staff_or_404(actor: User, user_id: int) -> User:
    try:
        return selectors.staff_get(actor=actor, user_id=user_id)
    except (NotFound, PermissionDenied):
        raise Http404 from None


@login_required
def staff_detail_view(request: HttpRequest, user_id: int) -> HttpResponse:
    """一名工作人员: roles, grant, revoke, deactivate."""
    actor = _manager(request)
    staff = _staff_or_404(actor, user_id)
    form = RoleGrantForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_grant(
                actor=actor, user_id=staff.pk, role=form.cleaned_data["role"], region_id=form.cleaned_data["region"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Role granted."))
            return redirect("accounts:staff-detail", user_id=staff.pk)
    return render(request, "accounts/staff_detail.html", {"staff": staff, "form": form})


@login_required
@require_POST
def role_revoke_view(request: HttpRequest, user_id: int, assignment_id: int) -> HttpResponse:
    """撤销角色 (htmx: the roles table is redrawn)."""
    actor = _manager(request)
    try:
        services.role_revoke(actor=actor, user_id=user_id, assignment_id=assignment_id)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
    staff = _staff_or_404(actor, user_id) if selectors.staff_list(actor=actor).filter(pk=user_id).exists() else None
    if getattr(request, "htmx", False) and staff is not None:
        return render(request, "accounts/partials/staff_roles.html", {"staff": staff})
    return redirect("accounts:staff-detail", user_id=user_id) if staff else redirect("accounts:staff-list")


@login_required
@require_POST
def staff_deactivate_view(request: HttpRequest, user_id: int) -> HttpResponse:
    """停用账号."""
    actor = _manager(request)
    try:
        services.staff_deactivate(actor=actor, user_id=user_id)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Account deactivated."))
    return redirect("accounts:staff-detail", user_id=user_id)


# --- lockouts (security admin) ----------------------------------------------------------------
def _security(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not holds_anywhere(user, SECURITY):
        raise Http404
    return user


@login_required
def lockout_list_view(request: HttpRequest) -> HttpResponse:
    """被锁定的账号."""
    actor = _security(request)
    page = Paginator(selectors.lockout_list(actor=actor), 50).get_page(request.GET.get("page"))
    rows: list[dict[str, Any]] = [
        {"id": a.pk, "masked": mask_phone(a.username), "failures": a.failures_since_start, "at": a.attempt_time}
        for a in page
    ]
    return render(request, "accounts/lockouts.html", {"page": page, "rows": rows})


@login_required
@require_POST
def lockout_clear_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """解除锁定."""
    actor = _security(request)
    try:
        services.lockout_clear(actor=actor, attempt_id=attempt_id)
    except NotFound:
        raise Http404 from None
    if getattr(request, "htmx", False):
        return HttpResponse(f'<td colspan="4">{_("Unlocked.")}</td>')
    messages.success(request, _("Unlocked."))
    return redirect("accounts:lockout-list")
