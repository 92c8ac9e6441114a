"""Background work of the audit app: the daily retention purge (审计日志保留期清理)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jishiyu.audit import partitions
from jishiyu.audit.services import audit_purge


@db_periodic_task(crontab(hour="3", minute="17"))
def audit_purge_daily() -> int:
    """Every night: make the coming months' partitions (PostgreSQL) and drop entries older than
    AUDIT_RETENTION_DAYS (at least 180)."""
    partitions.ensure_months()
    return audit_purge()
