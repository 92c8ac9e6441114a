"""Reads of the audit log (审计查询), always through the audit scope policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jishiyu.audit.models import AuditEntry
from jishiyu.audit.permissions import VIEW, audit_policy
from jishiyu.core.errors import NotFound


@dataclass(frozen=True)
class AuditFilters:
    """What the auditor searches by; every field optional."""

    actor: str = ""  # a user id (digits) or part of the actor's name
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    reason: str = ""

    def describe(self) -> str:
        """The filters in one line, for the audit entry of an export (no personal data: scrubbed there)."""
        return "; ".join(f"{k}={v}" for k, v in self.__dict__.items() if v not in ("", None))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_can_view(*, actor: Any) -> bool:
    """是否可查审计日志."""
    return bool(actor is not None and actor.is_authenticated and actor.has_perm_anywhere(VIEW))


def audit_entry_list(*, actor: Any, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """审计日志列表: entries in the auditor's scope, newest first. NotFound for anyone else."""
    if not audit_can_view(actor=actor):
        raise NotFound()
    f = filters or AuditFilters()
    qs = audit_policy.queryset(actor, VIEW)
    actor_term = f.actor.strip()
    if actor_term.isdigit():
        qs = qs.filter(actor_id=int(actor_term))
    elif actor_term:
        qs = qs.filter(actor_label__icontains=actor_term)
    if f.action:
        qs = qs.filter(action=f.action)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type.strip().lower())
    if f.object_id:
        qs = qs.filter(object_id=f.object_id.strip())
    # Whole local days, as an index range on ``at``.
    if f.date_from:
        qs = qs.filter(at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(at__lt=_day_start(f.date_to + timedelta(days=1)))
    if f.reason.strip():
        qs = qs.filter(reason__icontains=f.reason.strip())
    return qs.order_by("-at", "-id")


def audit_entry_get(*, actor: Any, entry_id: int) -> AuditEntry:
    """审计日志详情."""
    if not audit_can_view(actor=actor):
        raise NotFound()
    return audit_policy.get(actor, VIEW, pk=entry_id)


def audit_scope_path(*, actor: Any) -> str:
    """The region an auditor's own export is filed under: their widest audit scope."""
    paths = sorted(actor.region_paths_for(VIEW), key=len) if actor is not None else []
    return paths[0] if paths else ""
