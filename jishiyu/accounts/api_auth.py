"""API authentication: ``Authorization: Bearer <token>`` for machines, the session for pages."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from jishiyu.accounts.models import ApiToken, User
from jishiyu.audit.context import set_actor


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            record = ApiToken.objects.select_related("user").get(key_hash=token_hash(token))
        except ApiToken.DoesNotExist:
            return None
        now = timezone.now()
        if record.expires_at <= now or not record.user.is_active:
            return None
        if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        set_actor(record.user)
        return record.user


class SessionAuth(APIKeyCookie):
    """The signed-in session (pages calling the API with htmx); CSRF is checked for writes."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        # A caller that sent a bearer token is a machine: when the token is wrong it gets 401 for the token,
        # not a CSRF refusal from the session it never meant to use.
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: Any) -> User | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            authenticated: User = user
            return authenticated
        return None


API_AUTH = [BearerTokenAuth(), SessionAuth()]
