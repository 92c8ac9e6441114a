"""Back office of the tickets app, read-only: the catalogue, time limits and holidays are changed on the
district's settings pages (/tickets/settings/), whose services check what an admin form would not (a time
limit overlapping another, a calendar year left uncovered, a category's code and version), and tickets only
through the services and the transition table."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jishiyu.core.admin import ScopedModelAdmin
from jishiyu.tickets.models import Category, Holiday, Ticket, TimeLimitPolicy
from jishiyu.tickets.permissions import (
    category_policy,
    holiday_policy,
    may_see_reporter,
    ticket_policy,
    time_limit_policy,
)


class ConfigAdmin(ScopedModelAdmin):
    """Read-only: changes go through the settings pages and tickets.configuration's services."""

    view_permission = "tickets.configure"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(ConfigAdmin):
    policy = category_policy
    list_display = ("code", "name", "name_en", "domain", "parent", "version", "active")
    list_filter = ("domain", "version", "active")
    search_fields = ("code", "name", "name_en")
    raw_id_fields = ("parent",)


@admin.register(TimeLimitPolicy)
class TimeLimitPolicyAdmin(ConfigAdmin):
    policy = time_limit_policy
    list_display = (
        "name",
        "channel",
        "kind",
        "urgency",
        "category",
        "amount",
        "unit",
        "effective_from",
        "effective_to",
    )
    list_filter = ("channel", "kind", "urgency", "unit")
    raw_id_fields = ("category", "source")


@admin.register(Holiday)
class HolidayAdmin(ConfigAdmin):
    policy = holiday_policy
    list_display = ("date", "is_workday", "note")
    date_hierarchy = "date"


@admin.register(Ticket)
class TicketAdmin(ScopedModelAdmin):
    policy = ticket_policy
    view_permission = "tickets.view"
    change_permission = "tickets.never_in_admin"
    list_display = ("id", "channel", "kind", "status", "queue_region", "received_at", "due_at")
    list_select_related = ("queue_region",)
    list_filter = ("status", "channel", "kind")
    exclude = ("caller_phone_enc", "caller_phone_hash")
    reporter_fields = ("reporter", "caller_name", "caller_phone_masked")

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        """Who reported shows only to those the ticket page shows it to: never on an anonymous ticket."""
        excluded = tuple(super().get_exclude(request, obj) or ())
        if obj is not None and not may_see_reporter(request.user, obj):
            excluded += tuple(f for f in self.reporter_fields if f not in excluded)
        return excluded
