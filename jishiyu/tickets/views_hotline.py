"""Staff pages of the 12345 / Open311 exchange (来源与回调): source keys and failing callbacks. Thin: the rules
live in hotline.py and callbacks.py."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from jishiyu.core.errorpages import forbidden
from jishiyu.core.errors import DomainError, PermissionDenied
from jishiyu.tickets import callbacks, hotline
from jishiyu.tickets.models import Channel

SHOWN = 200


class SourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(Channel.HOTLINE, Channel.HOTLINE.label), (Channel.OPEN311, Channel.OPEN311.label)]
    )
    callback_url = forms.CharField(label=_("Callback URL"), max_length=200, required=False)


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    """来源密钥: list, create, issue new keys, switch off."""
    try:
        sources = list(hotline.source_list(actor=request.user))
    except PermissionDenied:
        return forbidden(request)
    form = SourceForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = hotline.source_create(actor=request.user, **form.cleaned_data)
            sources = list(hotline.source_list(actor=request.user))
            form = SourceForm()
        except DomainError as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, str(message))
    return render(request, "tickets/hotline_sources.html", {"sources": sources, "form": form, "issued": issued})


@login_required
@require_POST
def source_rotate(request: HttpRequest, source_id: int) -> HttpResponse:
    """更换密钥: the new key and secret are shown once on the page."""
    try:
        issued = hotline.source_rotate_keys(actor=request.user, source_id=source_id)
        sources = list(hotline.source_list(actor=request.user))
    except PermissionDenied:
        return forbidden(request)
    except DomainError:
        return redirect("tickets_hotline:source-list")
    context = {"sources": sources, "form": SourceForm(), "issued": issued}
    return render(request, "tickets/hotline_sources.html", context)


@login_required
@require_POST
def source_toggle(request: HttpRequest, source_id: int) -> HttpResponse:
    """停用 / 启用."""
    try:
        source = hotline.source_get(actor=request.user, source_id=source_id)
        hotline.source_update(
            actor=request.user,
            source_id=source_id,
            name=source.name,
            callback_url=source.callback_url,
            active=not source.active,
        )
    except PermissionDenied:
        return forbidden(request)
    return redirect("tickets_hotline:source-list")


@login_required
def callback_failing(request: HttpRequest) -> HttpResponse:
    """失败回调: every callback that has not got through yet, oldest due first."""
    try:
        deliveries = list(callbacks.callback_failing_list(actor=request.user)[:SHOWN])
    except PermissionDenied:
        return forbidden(request)
    for delivery in deliveries:
        delivery.given_up = callbacks.is_given_up(delivery)  # type: ignore[attr-defined]
    return render(request, "tickets/hotline_callbacks.html", {"deliveries": deliveries})


@login_required
@require_POST
def callback_retry(request: HttpRequest, delivery_id: int) -> HttpResponse:
    try:
        callbacks.callback_retry(actor=request.user, delivery_id=delivery_id)
    except PermissionDenied:
        return forbidden(request)
    except DomainError:
        pass  # delivered meanwhile, or out of scope: the list shows the truth
    return redirect("tickets_hotline:callback-failing")
