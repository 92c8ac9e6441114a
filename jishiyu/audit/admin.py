"""Back office view of the audit log: read-only, scoped like the auditor's page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from jishiyu.audit.models import AuditEntry
from jishiyu.audit.permissions import VIEW, audit_policy
from jishiyu.core.admin import ScopedModelAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedModelAdmin):
    policy = audit_policy
    view_permission = VIEW
    list_display = ["at", "actor_label", "action", "object_type", "object_id", "object_label", "outcome"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor_label", "reason"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
