"""Back office for users and role assignments, scoped like the pages. Writes go through the staff
pages (services); the admin shows and searches, and lets an admin deactivate."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jishiyu.accounts.models import RoleAssignment, User
from jishiyu.accounts.permissions import MANAGE, assignment_policy, staff_policy
from jishiyu.core.admin import ScopedModelAdmin


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ["role", "region", "department", "active", "granted_at"]
    readonly_fields = ["role", "region", "department", "active", "granted_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ScopedModelAdmin):
    """工作人员账号 (only staff whose roles lie in the admin's subtree)."""

    policy = staff_policy
    view_permission = MANAGE
    change_permission = MANAGE
    list_display = ["name", "phone_masked", "is_active", "date_joined", "last_login"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    fields = ["name", "phone_masked", "is_active", "date_joined", "last_login", "password_changed_at"]
    readonly_fields = ["name", "phone_masked", "date_joined", "last_login", "password_changed_at"]
    inlines = [RoleAssignmentInline]

    @admin.display(description=_("mobile number"))
    def phone_masked(self, obj: User) -> str:
        return obj.masked_phone

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # created on the staff page (scope, separated duties, SMS)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedModelAdmin):
    """角色授权 within the admin's subtree (read-only: granted and revoked on the staff page)."""

    policy = assignment_policy
    view_permission = MANAGE
    list_display = ["user", "role", "region", "active", "granted_at"]
    list_filter = ["role", "active"]
    list_select_related = ["user", "region"]
    search_fields = ["user__name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("user", "region")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
