"""Back office of 小区里: votes, topics and actions read-only and scoped (writes go through the services);
the residents' meeting rule table (会议规则表) editable by staff who manage deliberation."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from jishiyu.core.admin import ScopedModelAdmin
from jishiyu.core.scope import holds_anywhere
from jishiyu.deliberation.models import MeetingRule, Vote, VoteDocument
from jishiyu.deliberation.permissions import action_policy, topic_policy, vote_policy


class ReadOnlyScoped(ScopedModelAdmin):
    view_permission = "deliberation.view"

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class VoteDocumentInline(admin.TabularInline[VoteDocument, Vote]):
    """The documents owners read before voting, read-only here: staff attach them on the vote page."""

    model = VoteDocument
    extra = 0
    fields = ("title", "file", "added_by", "added_at")
    readonly_fields = ("title", "file", "added_by", "added_at")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(vote_policy.model)
class VoteAdmin(ReadOnlyScoped):
    policy = vote_policy
    list_display = ["title", "compound", "matter", "status", "closes_at"]
    list_filter = ["status", "matter"]
    inlines = [VoteDocumentInline]


@admin.register(topic_policy.model)
class TopicAdmin(ReadOnlyScoped):
    policy = topic_policy
    list_display = ["title", "compound", "stage", "created_at"]
    list_filter = ["stage"]


@admin.register(action_policy.model)
class ActionAdmin(ReadOnlyScoped):
    policy = action_policy
    list_display = ["title", "compound", "due_date", "progress", "status"]


@admin.register(MeetingRule)
class MeetingRuleAdmin(admin.ModelAdmin[MeetingRule]):
    list_display = ["community_kind", "law", "attend_share", "attend_strict", "agree_share", "agree_strict"]

    def _may(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_staff and holds_anywhere(user, "deliberation.manage"))

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)
