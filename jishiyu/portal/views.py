"""Resident portal (居民端): phone-first home with the four modules, my requests, messages and 我的."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jishiyu.accounts.services import user_set_preferences
from jishiyu.core.errors import DomainError
from jishiyu.portal.forms import PreferencesForm
from jishiyu.portal.modules import module_get, modules
from jishiyu.portal.selectors import portal_resident
from jishiyu.tickets.selectors import my_tickets

ELDER_COOKIE = "elder"
COOKIE_AGE = 365 * 24 * 3600


def home(request: HttpRequest) -> HttpResponse:
    """首页."""
    return render(request, "portal/home.html", {"modules": modules(), "tab": "home"})


def module_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """模块首页 (社区通 / 小区里 / 公益行 / 幸福圈)."""
    module = module_get(slug)
    if module is None:
        raise Http404()
    return render(request, "portal/module.html", {"module": module, "tab": "home"})


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """我的诉求: the resident's tickets (社区通) with their status."""
    tickets = list(my_tickets(actor=request.user)[:100])
    return render(request, "portal/requests.html", {"tab": "requests", "tickets": tickets})


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    """消息: the one inbox lives in the notifications app; this old address leads there."""
    return redirect("notifications:inbox")


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )


def _set_elder_cookie(response: HttpResponse, on: bool) -> None:
    if on:
        secure = bool(getattr(settings, "SESSION_COOKIE_SECURE", False))
        response.set_cookie(ELDER_COOKIE, "1", max_age=COOKIE_AGE, samesite="Lax", secure=secure)
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")


@login_required
def profile_detail(request: HttpRequest) -> HttpResponse:
    """我的: name, masked phone, verification state and preferences."""
    user: Any = request.user
    initial = {"elder_mode": user.elder_mode, "language": user.language or translation.get_language()}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user_set_preferences(
                actor=user, elder_mode=form.cleaned_data["elder_mode"], language=form.cleaned_data["language"]
            )
        except DomainError as error:
            form.add_error(error.field, str(error.message))
        else:
            translation.activate(user.language)
            messages.success(request, _("Your preferences are saved."))
            response = redirect("portal:profile-detail")
            _set_language_cookie(response, user.language)
            if not user.elder_mode:
                _set_elder_cookie(response, False)
            return response
    context = {"form": form, "resident": portal_resident(actor=user), "tab": "me"}
    return render(request, "portal/me.html", context, status=400 if form.errors else 200)


@require_POST
def display_update(request: HttpRequest) -> HttpResponse:
    """切换适老化显示: a user setting when signed in, a cookie for visitors."""
    on = request.POST.get("elder") == "1"
    target = request.POST.get("next") or "/"
    hosts = {request.get_host()}
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=hosts, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    user: Any = request.user
    if user.is_authenticated:
        user_set_preferences(actor=user, elder_mode=on)
    _set_elder_cookie(response, on)
    return response
