"""Back office of the circles app (幸福圈后台): the catalogue for the district, facilities by region scope."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from jishiyu.circles.models import Category, Circle, Facility
from jishiyu.circles.permissions import facility_policy
from jishiyu.circles.services import may_edit_catalogue
from jishiyu.core.admin import ScopedModelAdmin


class CatalogueAdmin(admin.ModelAdmin[Model]):
    """Catalogue rows have no region: only holders of "circles.catalogue" (the district) see or edit them."""

    def _allowed(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and user.is_staff and may_edit_catalogue(user))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # facilities and results refer to the catalogue: deactivate instead


@admin.register(Circle)
class CircleAdmin(CatalogueAdmin):
    list_display = ("code", "name", "name_en", "minutes", "order", "catalogue_version")


@admin.register(Category)
class CategoryAdmin(CatalogueAdmin):
    list_display = ("code", "name", "circle", "active", "catalogue_version")
    list_filter = ("circle", "active")
    search_fields = ("code", "name", "name_en", "osm_tags")


@admin.register(Facility)
class FacilityAdmin(ScopedModelAdmin):
    policy = facility_policy
    view_permission = "circles.view"
    change_permission = "circles.change"
    list_display = ("name", "category", "region", "source", "active")
    list_filter = ("category__circle", "source", "active")
    search_fields = ("name", "external_id")
    raw_id_fields = ("region",)
