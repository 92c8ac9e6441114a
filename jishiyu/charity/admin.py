"""Back office of the charity app (公益行): scoped like every page; the ledger and claims are read-only
here (they are written only through the services, so every rule holds)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jishiyu.charity.models import Claim, FundingSource, Need, OrganisationRule, Project, Roadshow
from jishiyu.charity.permissions import claim_policy, need_policy, project_policy, roadshow_policy, source_policy
from jishiyu.core.admin import ScopedModelAdmin
from jishiyu.core.scope import holds_anywhere


@admin.register(Project)
class ProjectAdmin(ScopedModelAdmin):
    policy = project_policy
    view_permission = "charity.view"
    list_display = ("name", "region", "recipient", "budget_fen", "status")
    list_filter = ("status", "runner_kind")
    search_fields = ("name",)


@admin.register(FundingSource)
class FundingSourceAdmin(ScopedModelAdmin):
    policy = source_policy
    view_permission = "charity.view"
    change_permission = "charity.finance"
    list_display = ("name", "kind", "region", "organisation")


@admin.register(Roadshow)
class RoadshowAdmin(ScopedModelAdmin):
    policy = roadshow_policy
    view_permission = "charity.view"
    list_display = ("title", "region", "starts_at", "venue")


class ReadOnlyAdmin(ScopedModelAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Need)
class NeedAdmin(ReadOnlyAdmin):
    policy = need_policy
    view_permission = "charity.view"
    list_display = ("title", "kind", "project", "shares_claimed", "shares_total", "status")
    exclude = ("person",)


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    policy = claim_policy
    view_permission = "charity.view"
    list_display = ("need", "donor_name", "amount_fen", "via", "status", "created_at")


@admin.register(OrganisationRule)
class OrganisationRuleAdmin(admin.ModelAdmin[OrganisationRule]):
    """The rules table is district-wide: those who hold the finance permission keep it current."""

    list_display = (
        "org_kind",
        "public_fundraising",
        "min_net_assets_fen",
        "max_net_assets_fen",
        "min_spending_permille",
        "max_management_permille",
        "source",
        "effective_from",
        "effective_to",
    )

    def _allowed(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_authenticated and user.is_staff and holds_anywhere(user, "charity.finance"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
