"""Notifications (消息): an in-app inbox for every user plus a pluggable channel (SMS by default)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise

from jishiyu.core.errors import NotFound
from jishiyu.notifications.models import Notification
from jishiyu.notifications.sms import send_sms


def _render(text: Any, params: Mapping[str, Any], language: str) -> str:
    """A translatable (lazy) text in ``language``, filled with ``params`` (themselves translated when lazy);
    a plain string (a reply, a resolution: what someone wrote) is kept as written."""
    if not isinstance(text, Promise):
        return str(text)
    with translation.override(language):
        filled = {key: str(value) for key, value in params.items()}
        return str(text) % filled if filled else str(text)


def notification_send(
    *,
    user: Any,
    title: Any,
    body: Any = "",
    url: str = "",
    sms: bool = False,
    params: Mapping[str, Any] | None = None,
) -> Notification:
    """发送站内消息 (and an SMS when asked and the user has a phone).

    Pass ``title`` and ``body`` as lazy translations (``gettext_lazy``) with their ``params``: the message is
    kept in every language of the site, so the inbox shows it in the language the reader uses when reading,
    and the SMS goes in the recipient's own language."""
    params = params or {}
    own = getattr(user, "language", "") or settings.LANGUAGE_CODE
    texts = {code: [_render(title, params, code)[:120], _render(body, params, code)] for code, _ in settings.LANGUAGES}
    mine = texts.get(own) or [_render(title, params, own)[:120], _render(body, params, own)]
    note = Notification.objects.create(user=user, title=mine[0], body=mine[1], url=url, texts=texts)
    phone = str(getattr(user, "phone", "") or "")
    if sms and phone:
        send_sms(phone, f"{mine[0]} {mine[1]}".strip()[:300])
    return note


def notification_mark_read(*, actor: Any, notification_id: Any) -> Notification:
    """标记已读: only the actor's own message; another's answers NotFound."""
    try:
        note = Notification.objects.get(pk=notification_id, user_id=actor.pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return note


def notification_mark_all_read(*, actor: Any) -> int:
    """全部标记已读."""
    return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now())
