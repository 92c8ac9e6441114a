"""Back office for the region tree, scoped like the pages and the API. Writes go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from jishiyu.core.admin import ScopedModelAdmin
from jishiyu.regions import services
from jishiyu.regions.models import Building, Dwelling, Region, RegionCode
from jishiyu.regions.permissions import VIEW, building_policy, dwelling_policy, region_policy


class RegionCodeInline(admin.TabularInline[RegionCode, Region]):
    model = RegionCode
    extra = 0
    fields = ("system", "code", "release")
    readonly_fields = ("system", "code", "release")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ScopedModelAdmin):
    policy = region_policy
    view_permission = VIEW
    list_display = ("name", "kind", "community_kind", "parent", "depth")
    list_filter = ("kind", "community_kind")
    search_fields = ("name",)
    fields = ("kind", "name", "parent", "community_kind", "households", "lon", "lat", "path", "depth")
    readonly_fields = ("kind", "parent", "path", "depth", "lon", "lat")
    inlines = [RegionCodeInline]
    list_select_related = ("parent",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # new nodes through the page/API service, which checks the parent's scope

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        services.region_update(
            actor=request.user,  # type: ignore[arg-type]
            region=obj,
            name=data.get("name"),
            community_kind=data.get("community_kind") or "",
            households=data.get("households"),
        )


class _ReadOnlyAdmin(ScopedModelAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Building)
class BuildingAdmin(_ReadOnlyAdmin):
    policy = building_policy
    view_permission = VIEW
    list_display = ("__str__", "community", "grid", "compound", "number")
    list_select_related = ("community", "grid", "compound")
    search_fields = ("number", "name")


@admin.register(Dwelling)
class DwellingAdmin(_ReadOnlyAdmin):
    policy = dwelling_policy
    view_permission = VIEW
    list_display = ("__str__", "floor", "exclusive_area", "area_source", "developer_held")
    list_select_related = ("building__community", "building__compound", "entrance__building__compound", "region")
    list_filter = ("developer_held", "area_source")
