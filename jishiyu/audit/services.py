"""Writing to the audit log (审计). Values of sensitive fields are recorded masked, never plain."""

from __future__ import annotations

from typing import Any

from django.db import models

from jishiyu.audit.context import current
from jishiyu.audit.models import AuditEntry
from jishiyu.core.masking import scrub


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
