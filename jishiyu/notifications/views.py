"""Inbox pages (thin): my notifications, and the development SMS outbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jishiyu.core.errors import NotFound
from jishiyu.notifications import selectors, services


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    """消息中心."""
    page = Paginator(selectors.notification_list(actor=request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": selectors.unread_count(actor=request.user)},
    )


@login_required
@require_POST
def notification_read_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    """标记已读 (htmx: the row is redrawn and the unread count updated out of band)."""
    try:
        note = services.notification_mark_read(actor=request.user, notification_id=notification_id)
    except NotFound:
        raise Http404 from None
    if getattr(request, "htmx", False):
        return render(
            request,
            "notifications/partials/row.html",
            {"n": note, "unread": selectors.unread_count(actor=request.user), "oob": True},
        )
    return redirect("notifications:inbox")


@login_required
@require_POST
def notification_read_all_view(request: HttpRequest) -> HttpResponse:
    """全部标记已读."""
    services.notification_mark_all_read(actor=request.user)
    return redirect("notifications:inbox")


def outbox_view(request: HttpRequest) -> HttpResponse:
    """开发用短信发件箱: 404 unless DEBUG, the outbox is the SMS sender and the reader is the system admin."""
    if not selectors.outbox_may_read(actor=request.user):
        raise Http404
    page = Paginator(selectors.outbox_list(), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/outbox.html", {"page": page})
