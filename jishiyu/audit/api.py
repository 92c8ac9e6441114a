"""JSON API of the audit app (mounted under /api/v1/): the auditor's search."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from jishiyu.audit.models import AuditEntry
from jishiyu.audit.schemas import AuditEntryFilterIn, AuditEntryOut
from jishiyu.audit.selectors import AuditFilters, audit_entry_get, audit_entry_list
from jishiyu.core.api import PageNumberPagination
from jishiyu.core.errors import ValidationFailed

router = Router(tags=["audit"])

ACTIONS = set(AuditEntry.Action.values)


@router.get("/entries", response=list[AuditEntryOut], summary="Search the audit log")
@paginate(PageNumberPagination)
def entries(request: HttpRequest, filters: Query[AuditEntryFilterIn]) -> Any:
    """审计日志查询: entries in the auditor's scope, newest first (404 for anyone but an auditor)."""
    if filters.action and filters.action not in ACTIONS:
        raise ValidationFailed({"action": _("Not one of the allowed values.")})
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationFailed({"date_to": _("The end date is before the start date.")})
    return audit_entry_list(actor=request.user, filters=AuditFilters(**filters.dict()))


@router.get("/entries/{entry_id}", response=AuditEntryOut, summary="One audit entry")
def entry(request: HttpRequest, entry_id: int) -> AuditEntry:
    """审计日志详情."""
    return audit_entry_get(actor=request.user, entry_id=entry_id)
