"""Back office for people (居民) and households (户): scoped like every page; sensitive values
only masked and read-only (encrypted and hashed columns are never shown)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jishiyu.core.admin import ScopedModelAdmin
from jishiyu.people.models import Household, Person, PersonTag
from jishiyu.people.permissions import household_policy, person_policy

SENSITIVE_HIDDEN = ("document_enc", "document_hash", "phone_enc", "phone_hash")


class PersonTagInline(admin.TabularInline[PersonTag, Person]):
    model = PersonTag
    extra = 0
    fields = ("tag", "disability_kind", "disability_grade", "since", "note")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(ScopedModelAdmin):
    policy = person_policy
    view_permission = "people.view"
    list_display = ("name", "document_masked", "phone_masked", "region", "verified_at")
    list_select_related = ("region",)
    search_fields = ("name",)
    list_filter = ("document_type", "gender")
    exclude = SENSITIVE_HIDDEN
    readonly_fields = ("document_type", "document_masked", "phone_masked", "user", "verified_at", "verified_by")
    raw_id_fields = ("region", "household")
    inlines = (PersonTagInline,)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f for f in super().get_fields(request, obj) if f not in SENSITIVE_HIDDEN]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # registering validates and encrypts the document: use the people pages


@admin.register(Household)
class HouseholdAdmin(ScopedModelAdmin):
    policy = household_policy
    view_permission = "people.view"
    list_display = ("number", "region", "dwelling", "created_at")
    list_select_related = ("region",)
    search_fields = ("number",)
    raw_id_fields = ("region", "dwelling")
    readonly_fields = ("created_at",)
