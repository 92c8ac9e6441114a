"""Django admin that respects the region scope: the same policy as pages and API.

Superusers bypass Django permissions but not scope: the back office shows a staff member exactly
the records their role assignments cover. Subclasses set ``policy`` and ``scope_permission``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from jishiyu.core.scope import ScopePolicy, holds_anywhere


class ScopedModelAdmin(admin.ModelAdmin[Any]):  # Any, as for policy: one class serves every scoped model
    policy: ScopePolicy[Any]
    view_permission: str = ""
    change_permission: str = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        return self.policy.queryset(request.user, self.view_permission, qs)  # type: ignore[arg-type]

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        user: Any = request.user
        if obj is None:
            return bool(user.is_staff and holds_anywhere(user, self.view_permission))
        return self.policy.allows(user, self.view_permission, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        user: Any = request.user
        perm = self.change_permission or self.view_permission.replace(".view", ".change")
        if obj is None:
            return bool(user.is_staff and holds_anywhere(user, perm))
        return self.policy.allows(user, perm, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # deletions go through services (audited, with their rules)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)
