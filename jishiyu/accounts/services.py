"""Account services (账号): the only place that writes users and role assignments."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jishiyu.accounts.models import User
from jishiyu.core.errors import DomainError

UNKNOWN_LANGUAGE = "unknown_language"


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
