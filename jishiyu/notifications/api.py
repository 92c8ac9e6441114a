"""JSON API of the notifications app (mounted under /api/v1/notifications)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from jishiyu.core.api import PageNumberPagination
from jishiyu.notifications import selectors, services
from jishiyu.notifications.models import Notification
from jishiyu.notifications.schemas import NotificationOut

router = Router(tags=["notifications"])


@router.get("", response=list[NotificationOut], summary="My notifications (newest first)")
@paginate(PageNumberPagination)
def notification_index(request: HttpRequest, unread: bool = False) -> Any:
    return selectors.notification_list(actor=request.user, unread_only=unread)


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark one of my notifications read")
def notification_read(request: HttpRequest, notification_id: int) -> Notification:
    return services.notification_mark_read(actor=request.user, notification_id=notification_id)
