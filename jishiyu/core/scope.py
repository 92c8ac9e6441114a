"""The scope policy: one mechanism, applied in one place, for pages, API, exports and admin.

Every scoped record belongs to a region node. A user holds permissions through role assignments
scoped to region nodes; a record is visible to the user for a permission when its region lies in
the subtree of one of the nodes where the user holds that permission. Subtrees are materialised
paths ("/1/7/42/"), so a subtree is the index range [path, path + "~") on both SQLite and PostgreSQL.

Each app declares one policy per scoped model (``permissions.py``) that answers both
"may this actor do X to this object" and "which objects may this actor do X to"
(Wagtail's permission policies), so lists and checks cannot disagree. A forbidden object and a
missing one give the same NotFound (404).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, Protocol, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet

from jishiyu.core.errors import NotFound, PermissionDenied

M = TypeVar("M", bound=models.Model)

PATH_END = "~"  # sorts after "/" and every digit, so [p, p + "~") is the subtree of p


class Actor(Protocol):
    @property
    def is_authenticated(self) -> bool: ...  # a property on User, a constant on AnonymousUser

    pk: Any

    def region_paths_for(self, permission: str) -> list[str]: ...

    def has_perm_anywhere(self, permission: str) -> bool: ...


def holds_anywhere(actor: Actor | None, *permissions: str) -> bool:
    """Whether the signed-in ``actor`` holds at least one of ``permissions`` somewhere (may act on this kind
    at all): the question a menu entry or a page's door asks before any record is read."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return any(actor.has_perm_anywhere(p) for p in permissions)


def subtree_q(field: str, paths: Iterable[str]) -> Q:
    """Q for records whose ``field`` (a path column) lies in any of the subtrees."""
    q = Q(pk__in=[])
    for path in collapse_paths(paths):
        q |= Q(**{f"{field}__gte": path, f"{field}__lt": path + PATH_END})
    return q


def collapse_paths(paths: Iterable[str]) -> list[str]:
    """Drop paths already inside another one: fewer OR terms, same meaning."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return result


def path_in_scope(path: str, paths: Iterable[str]) -> bool:
    return any(path.startswith(p) for p in paths)


class ScopePolicy(Generic[M]):
    """Base policy. Subclasses set ``model`` and ``region_path`` (lookup to the record's region path).

    ``own_q`` lets a policy add records the actor sees because they are theirs (a resident's own
    person record), independent of any role.
    """

    model: type[M]
    region_path: str = "region__path"

    def own_q(self, actor: Actor) -> Q | None:
        return None

    def is_own(self, actor: Actor, obj: M) -> bool:
        return False

    def base_queryset(self) -> QuerySet[M]:
        return self.model._default_manager.all()

    def queryset(self, actor: Actor | None, permission: str, qs: QuerySet[M] | None = None) -> QuerySet[M]:
        """Records of this model on which ``actor`` holds ``permission``."""
        qs = self.base_queryset() if qs is None else qs
        if actor is None or not actor.is_authenticated:
            return qs.none()
        q = subtree_q(self.region_path, actor.region_paths_for(permission))
        own = self.own_q(actor) if permission.endswith(".view") else None  # one's own records: to view only
        if own is not None:
            q |= own
        return qs.filter(q)

    def record_path(self, obj: M) -> str:
        value: Any = obj
        for part in self.region_path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return ""
        return str(value)

    def allows_anywhere(self, actor: Actor | None, permission: str) -> bool:
        """May the actor do ``permission`` to records of this kind at all (somewhere in their scope)."""
        return holds_anywhere(actor, permission)

    def allows_path(self, actor: Actor | None, permission: str, path: str) -> bool:
        """Is the region at ``path`` inside the actor's scope for ``permission`` (may a record go there)."""
        if actor is None or not actor.is_authenticated:
            return False
        return bool(path) and path_in_scope(path, actor.region_paths_for(permission))

    def allows(self, actor: Actor | None, permission: str, obj: M) -> bool:
        if actor is None or not actor.is_authenticated:
            return False
        if permission.endswith(".view") and self.is_own(actor, obj):
            return True
        path = self.record_path(obj)
        return bool(path) and path_in_scope(path, actor.region_paths_for(permission))

    def get(self, actor: Actor | None, permission: str, **lookup: Any) -> M:
        """The record, or NotFound if it is missing or outside scope (the same answer)."""
        try:
            return self.queryset(actor, permission).get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError):
            raise NotFound() from None

    def require(self, actor: Actor | None, permission: str, obj: M) -> None:
        """Raise unless allowed. A record the actor cannot even view answers NotFound."""
        if self.allows(actor, permission, obj):
            return
        view = permission.split(".")[0] + ".view"
        if permission != view and self.allows(actor, view, obj):
            raise PermissionDenied()
        raise NotFound()
