"""Writing to the audit log (审计). Values of sensitive fields are recorded masked, never plain."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from jishiyu.audit import partitions
from jishiyu.audit.context import current
from jishiyu.audit.models import AuditEntry
from jishiyu.core.masking import scrub

# 等保2.0 asks for audit records to be kept at least six months.
MIN_RETENTION_DAYS = 180


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    return str(getattr(actor, "name", "") or getattr(actor, "masked_phone", "") or actor.pk)


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    region_path: str = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
    actor: Any = None,
    outcome: str = "ok",
) -> AuditEntry:
    """记录审计日志. ``changes`` must already hold masked values for sensitive fields; free text is
    scrubbed of id and phone numbers as a second guard."""
    ctx = current()
    actor = actor if actor is not None else ctx.actor
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or scrub(str(obj))[:120]
        if not region_path:
            region = getattr(obj, "region", None)
            region_path = getattr(region, "path", "") or ""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor)[:80],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=scrub(object_label)[:120],
        region_path=region_path,
        changes=changes or {},
        reason=scrub(reason)[:300],
        ip=ctx.ip,
        outcome=outcome,
    )


def audit_record_bulk(
    *,
    action: str,
    object_type: str,
    count: int,
    region_path: str = "",
    reason: str = "",
    details: dict[str, Any] | None = None,
    actor: Any = None,
    outcome: str = "ok",
) -> AuditEntry:
    """记录批量操作审计: one summary entry for a bulk write that sent no signals (an import of
    residents, demo data). ``details`` must hold no plain personal data (counts, file name, row ranges)."""
    changes: dict[str, Any] = {"count": count}
    if details:
        changes["details"] = {str(k): scrub(str(v)) if isinstance(v, str) else v for k, v in details.items()}
    return audit_record(
        action=action,
        object_type=object_type,
        object_label=f"{count} × {object_type}",
        region_path=region_path,
        changes=changes,
        reason=reason,
        actor=actor,
        outcome=outcome,
    )


def audit_purge(*, now: datetime | None = None) -> int:
    """审计日志保留期清理: delete entries older than AUDIT_RETENTION_DAYS (never fewer than 180 days).

    On PostgreSQL the months that end before the cutoff are dropped whole (partitions.py); the rest, and
    everything on SQLite, goes by a queryset delete, the only other way entries leave the table: the model
    refuses single deletes. The number of entries removed."""
    days = max(MIN_RETENTION_DAYS, int(settings.AUDIT_RETENTION_DAYS))
    cutoff = (now or timezone.now()) - timedelta(days=days)
    dropped = partitions.drop_months_before(cutoff)
    deleted, _ = AuditEntry.objects.filter(at__lt=cutoff).delete()
    return dropped + deleted
