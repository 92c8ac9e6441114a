"""The auditor's pages: search the log, export what was found (the export is itself audited)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jishiyu.audit.forms import AuditSearchForm
from jishiyu.audit.models import AuditEntry
from jishiyu.audit.registry import CHANGED, audited_labels
from jishiyu.audit.selectors import audit_entry_list, audit_scope_path
from jishiyu.audit.services import audit_record
from jishiyu.core.errors import NotFound
from jishiyu.core.exports import xlsx_response

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 100_000


def _entries(request: HttpRequest) -> tuple[AuditSearchForm, Any]:
    form = AuditSearchForm(request.GET or None)
    try:
        return form, audit_entry_list(actor=request.user, filters=form.filters())
    except NotFound:
        raise Http404 from None


def _model(object_type: str) -> Any:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def record_type_label(object_type: str) -> str:
    """The record type "people.person" → 居民 (the model's verbose name), or the label itself when unknown."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def _field_label(model: Any, name: str) -> str:
    if model is None:
        return name
    for candidate in (name, f"{name}_masked"):
        try:
            return str(model._meta.get_field(candidate).verbose_name)
        except FieldDoesNotExist:
            continue
    return name


def _value(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return str(_("Yes"))
    if value is False:
        return str(_("No"))
    if value == CHANGED:
        return str(_("changed"))
    return str(value)


def changes_text(entry: AuditEntry) -> str:
    """ "姓名: 王小明 → 王晓明; 手机号: 139****5678 → 137****4321" (values are already masked)."""
    model = _model(entry.object_type)
    parts = []
    for name, change in (entry.changes or {}).items():
        label = _field_label(model, name)
        if isinstance(change, dict) and set(change) == {"before", "after"}:
            parts.append(f"{label}: {_value(change['before'])} → {_value(change['after'])}")
        else:
            parts.append(f"{label}: {_value(change)}")
    return "; ".join(parts)


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    """审计日志查询."""
    form, qs = _entries(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(e, changes_text(e), record_type_label(e.object_type)) for e in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/entry_list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode(), "record_types": audited_labels()},
    )


@login_required
def entry_export(request: HttpRequest) -> HttpResponse:
    """导出审计日志 (.xlsx); the export is written to the log."""
    form, qs = _entries(request)
    filters = form.filters()
    headers = [
        _("Time"),
        _("Actor"),
        _("Action"),
        _("Record type"),
        _("Record id"),
        _("Record"),
        _("Region"),
        _("Changes"),
        _("Reason"),
        _("IP address"),
        _("Outcome"),
    ]
    entries = list(qs[:EXPORT_MAX_ROWS])
    audit_record(
        action=AuditEntry.Action.EXPORT,
        object_type=AuditEntry._meta.label_lower,
        object_label=f"{len(entries)}",
        region_path=audit_scope_path(actor=request.user),
        changes={"count": len(entries), "filters": filters.describe()},
        reason=_("Audit log export"),
        actor=request.user,
    )
    rows = (
        [
            e.at,
            e.actor_label,
            e.get_action_display(),
            e.object_type,
            e.object_id,
            e.object_label,
            e.region_path,
            changes_text(e),
            e.reason,
            e.ip,
            e.outcome,
        ]
        for e in entries
    )
    return xlsx_response(f"audit-{timezone.localdate():%Y%m%d}.xlsx", headers, rows)
